import { basename, resolve } from 'node:path';
import { parseCsv } from '../csv';
import type { ProjectStore } from '../project-store';
import { withoutConflicts } from './conflicts';
import { datasetPath } from './image-path';
import { readImportFile } from './source-file';
import { emptyReport, shown, type ImageRow, type ImportReport } from './report';
import { datasetId, upsertImages } from './store-rows';
import { importFindingsCsv, isFindingsCsv } from '../multilabel-import';

const splits = ['train', 'val', 'test'];

/** A CSV of `path,label[,split]` (a header row is recognised), paths relative to `root`. Every bad row is reported with its line. */
export async function importCsv(store: ProjectStore, name: string, csvFile: string, root: string): Promise<ImportReport> {
  const report = emptyReport(name);
  const absoluteRoot = resolve(root);
  const file = shown(basename(csvFile));
  const at = (line: number): string => `${file} line ${line}`;
  const { rows, errors } = parseCsv(readImportFile(csvFile, 'CSV file'));
  for (const e of errors) report.problems.push({ where: at(e.line), reason: e.reason });
  // A header of path and finding columns is multi-label ground truth (multilabel-import.ts).
  if (isFindingsCsv(rows)) return importFindingsCsv(store, name, csvFile, root, rows, report);
  const start = rows[0] && rows[0].line === 1 && rows[0].fields[0]?.trim().toLowerCase() === 'path' ? 1 : 0;
  const good: ImageRow[] = [];
  for (const { line, fields } of rows.slice(start)) {
    const where = at(line);
    if (fields.length < 2 || fields.length > 3) {
      report.problems.push({ where, reason: `expected path,label[,split] but found ${fields.length} field(s)` });
      continue;
    }
    const path = datasetPath(absoluteRoot, fields[0]!);
    if ('problem' in path) {
      report.problems.push({ where, reason: path.problem });
      continue;
    }
    const split = fields[2]?.trim() || null;
    if (split && !splits.includes(split)) {
      report.problems.push({ where, reason: `split "${shown(split)}" is not train, val or test` });
      continue;
    }
    good.push({ path: path.path, label: fields[1]!.trim() || null, split, where });
  }
  await upsertImages(store, datasetId(store, name, absoluteRoot), absoluteRoot, withoutConflicts(good, report.problems), report);
  // Problems in file order, whether found while parsing, comparing rows or reading the image.
  const lineOf = (p: { where: string }): number => Number(/line (\d+)$/.exec(p.where)?.[1] ?? 0);
  report.problems.sort((a, b) => lineOf(a) - lineOf(b));
  return report;
}
