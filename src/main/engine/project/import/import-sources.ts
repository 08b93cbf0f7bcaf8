import type { ImportParams } from '../../../../shared/contract/dataset-import';
import { checkImportSource } from './source-file';

/**
 * Every path an import will read, checked before the project is opened (or created), so that a
 * typo in a path leaves no new, empty project behind. In the order the CLI names them.
 */
export function checkImportSources(params: ImportParams): void {
  switch (params.format) {
    case 'folder':
      return checkImportSource(params.folder, params.layout === 'dicom' ? 'DICOM folder' : 'image folder', 'folder');
    case 'csv':
      checkImportSource(params.csv, 'CSV file', 'file');
      return checkImportSource(params.root, 'image root', 'folder');
    case 'coco':
      checkImportSource(params.coco, 'COCO file', 'file');
      return checkImportSource(params.root, 'image root', 'folder');
    case 'voc':
      checkImportSource(params.voc, 'VOC folder', 'folder');
      return checkImportSource(params.root, 'image root', 'folder');
    case 'masks':
      return checkImportSource(params.masks, 'mask folder', 'folder');
    case 'dicomdir':
      return checkImportSource(params.dicomdir, 'DICOMDIR', 'file');
    case 'labels':
      return checkImportSource(params.labels, 'label CSV', 'file');
    case 'reroot':
      // A re-root's folder is checked image by image: its error names the images that are missing.
      return;
  }
}
