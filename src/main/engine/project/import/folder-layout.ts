import { join, resolve } from 'node:path';
import { isDicom } from '../../image/dicom/read-dicom-facts';
import { listImages } from '../../image/list-images';
import { fileHead } from './dicom-folder';

/**
 * How a folder given to `datasets.import` is read: `labelled-folders` takes each image's first
 * sub-folder as its label (the usual layout of a classification dataset), `dicom` groups DICOM
 * files by patient, study and series and takes no label from folder names (a PACS export is laid
 * out by patient, so a folder name there is an identifier, not a label).
 */
export type FolderLayout = 'labelled-folders' | 'dicom';

/**
 * `auto` decides from the content: a folder whose image files are all DICOM is a DICOM folder,
 * anything else (or a mix) keeps the labelled-folder reading, which imports DICOM files too.
 */
export async function chooseFolderLayout(folder: string, requested: FolderLayout | 'auto' = 'auto'): Promise<FolderLayout> {
  if (requested !== 'auto') return requested;
  const root = resolve(folder);
  const images = await listImages(root);
  if (images.length === 0) return 'labelled-folders';
  return images.every((path) => isDicomFile(join(root, path))) ? 'dicom' : 'labelled-folders';
}

function isDicomFile(path: string): boolean {
  try {
    return isDicom(fileHead(path));
  } catch {
    return false;
  }
}
