import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { isDicom } from '../../image/dicom/read-dicom-facts';
import { confine } from '../../paths/confine';
import type { ProjectStore } from '../project-store';
import { dicomGrouping } from './dicom-grouping';
import { listImportFolder } from './source-file';
import { emptyReport, shown, type ImageRow, type ImportReport } from './report';
import { datasetId, upsertImages } from './store-rows';

/** Enough of a file to tell DICOM from anything else (preamble, "DICM", the first element). */
const headBytes = 136;

export function fileHead(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buffer = new Uint8Array(headBytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, headBytes, 0));
  } finally {
    closeSync(fd);
  }
}

/** Every file under `root` (hidden ones aside), relative and forward-slashed, sorted; unreadable sub-folders are problems. */
function listFiles(root: string, problems: ImportReport['problems']): string[] {
  const found: string[] = [];
  const walk = (dir: string, names: string[]): void => {
    for (const name of names.sort()) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      const where = relative(root, path).split(sep).join('/');
      let entries: string[] | undefined;
      try {
        entries = readdirSync(path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOTDIR') {
          if (code === 'EACCES' || code === 'EPERM') problems.push({ where: shown(where), reason: 'the folder cannot be read (permission denied); its files are not imported' });
          else if (code !== 'ENOENT') found.push(where);
          continue;
        }
      }
      if (entries) walk(path, entries);
      else found.push(where);
    }
  };
  walk(root, listImportFolder(root, 'DICOM folder'));
  return found.sort();
}

/**
 * A folder of DICOM files, however it is laid out (by patient/study/series folders, flat, with or
 * without `.dcm`): every file is judged by its content. Grouping comes from each file's own
 * patient, study and series UIDs, not from folder names, so no label is taken from the folders.
 * Files that are not DICOM, and DICOM files without an image (structured reports, RT plans, a
 * DICOMDIR), are listed in the report with the reason, never dropped silently.
 */
export async function importDicomFolder(store: ProjectStore, name: string, folder: string): Promise<ImportReport> {
  const root = resolve(folder);
  const report = emptyReport(name);
  const files = listFiles(root, report.problems);
  const rows: ImageRow[] = [];
  for (const path of files) {
    const file = confine(root, path);
    if (file === null) {
      report.problems.push({ where: shown(path), reason: `the path ${shown(path)} is outside the dataset root` });
      continue;
    }
    let dicom: boolean;
    try {
      dicom = isDicom(fileHead(file));
    } catch (error) {
      report.problems.push({ where: shown(path), reason: `the file cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); it is not imported` });
      continue;
    }
    if (!dicom) report.problems.push({ where: shown(path), reason: 'not a DICOM file; skipped (import JPEG, PNG, WebP or TIFF images with --folder)' });
    else rows.push({ path, where: shown(path) });
  }
  const dataset = datasetId(store, name, root);
  await upsertImages(store, dataset, root, rows, report);
  report.problems.sort((a, b) => (a.where < b.where ? -1 : a.where > b.where ? 1 : 0));
  report.dicom = dicomGrouping(store, dataset);
  return report;
}
