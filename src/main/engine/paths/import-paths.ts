import { basename, dirname, extname, isAbsolute } from 'node:path';
import type { ImportParams } from '../../../shared/contract/dataset-import';
import { LumenError } from '../../../shared/errors';

/** Each path an import names: what it is (for messages), and a file's allowed endings. */
interface ImportPath {
  what: string;
  path: string;
  /** For a file: the names it may have (an import reads a CSV, a COCO JSON, a DICOMDIR, nothing else). */
  file?: { expected: string; matches: (name: string) => boolean };
}

const csvFile = { expected: 'a .csv (or .txt) file', matches: (name: string) => ['.csv', '.txt'].includes(extname(name).toLowerCase()) };
const jsonFile = { expected: 'a .json file', matches: (name: string) => extname(name).toLowerCase() === '.json' };
const dicomdirFile = { expected: 'a file named DICOMDIR', matches: (name: string) => name.toUpperCase() === 'DICOMDIR' };

export function importPaths(p: ImportParams): ImportPath[] {
  switch (p.format) {
    case 'folder':
      return [{ what: 'The dataset folder', path: p.folder }];
    case 'csv':
      return [{ what: 'The CSV file', path: p.csv, file: csvFile }, { what: 'The image folder', path: p.root }];
    case 'coco':
      return [{ what: 'The COCO file', path: p.coco, file: jsonFile }, { what: 'The image folder', path: p.root }];
    case 'voc':
      return [{ what: 'The VOC folder', path: p.voc }, { what: 'The image folder', path: p.root }];
    case 'masks':
      return [{ what: 'The mask folder', path: p.masks }];
    case 'dicomdir':
      return [{ what: 'The DICOMDIR', path: p.dicomdir, file: dicomdirFile }];
    case 'labels':
      return [{ what: 'The label CSV', path: p.labels, file: csvFile }];
    case 'reroot':
      return [{ what: 'The new dataset folder', path: p.reroot }];
  }
}

/**
 * The browser door's rule for an import's paths: typed in the page, each is a full path (naming it
 * there is the user's choice, as with a folder to import), and a file is only ever one an import
 * reads, judged by its name: a page cannot have the engine parse any file and report its rows.
 */
export function checkImportPaths(params: ImportParams): void {
  for (const { what, path, file } of importPaths(params)) {
    if (!isAbsolute(path)) throw new LumenError('invalid-argument', `${what} "${path}" is not a full path.`, 'Give its full path (e.g. /home/me/data/labels.csv).', { path });
    if (file && !file.matches(basename(path))) {
      throw new LumenError('invalid-argument', `${what} ${path} is not ${file.expected}.`, 'Give the file the import reads, by its full path.', { path, refused: 'not-an-import-file' });
    }
  }
}

/** The folders an import makes the dataset's images come from: readable by the page once imported. */
export function importedRoots(p: ImportParams): string[] {
  switch (p.format) {
    case 'folder':
      return [p.folder];
    case 'csv':
    case 'coco':
    case 'voc':
      return [p.root];
    case 'dicomdir':
      return [dirname(p.dicomdir)];
    case 'reroot':
      return [p.reroot];
    case 'masks':
    case 'labels':
      return [];
  }
}
