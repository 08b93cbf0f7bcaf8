import { open, readdir } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { LumenError } from '../../../shared/errors';
import { isDicom } from './dicom/is-dicom';

const imageExtensions = new Set(['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.dcm', '.dicom']);

/**
 * The image files under a folder, recursively, as paths relative to it in a stable (sorted) order.
 * Hidden files and folders are skipped; so are ground-truth sidecars (`*.mask.png`) and DICOMDIR
 * indexes. Files without an extension are included when they start like DICOM (modalities and
 * DICOM media name files "IM0001" or by number); only their first 136 bytes are read.
 */
export async function listImages(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      throw folderError(dir, error);
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && (await isImageFile(entry.name, path))) found.push(relative(root, path));
    }
  };
  await walk(root);
  return found.sort();
}

async function isImageFile(name: string, path: string): Promise<boolean> {
  if (/\.mask\.[a-z]+$/i.test(name) || name.toUpperCase() === 'DICOMDIR') return false;
  const extension = extname(name).toLowerCase();
  if (imageExtensions.has(extension)) return true;
  // DICOM files are often named without an extension or by UID ("1.2.840.113619.2.55.3.1").
  return (extension === '' || /^\.\d+$/.test(extension)) && (await startsLikeDicom(path));
}

async function startsLikeDicom(path: string): Promise<boolean> {
  let file;
  try {
    file = await open(path, 'r');
    const head = new Uint8Array(136);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return isDicom(head.subarray(0, bytesRead));
  } catch {
    return false; // unreadable: not listed, as an unreadable .txt would not be
  } finally {
    await file?.close();
  }
}

/** Why a folder of images cannot be listed, in the user's terms (Node's "scandir" says little). */
function folderError(dir: string, error: unknown): LumenError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new LumenError('not-found', `The folder ${dir} does not exist.`, 'Check the path; give a folder of images.', { path: dir });
  if (code === 'ENOTDIR') return new LumenError('invalid-argument', `${dir} is a file, not a folder.`, 'Give the folder that holds the images.', { path: dir });
  if (code === 'EACCES' || code === 'EPERM') return new LumenError('invalid-argument', `The folder ${dir} cannot be read: permission denied.`, 'Make it readable for your user.', { path: dir });
  return new LumenError('not-found', `Cannot read the folder ${dir} (${code ?? (error as Error).message}).`, 'Give a folder of images.', { path: dir });
}
