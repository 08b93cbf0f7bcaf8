import { basename, resolve } from 'node:path';
import type { CsvRow } from './csv';
import type { ProjectStore } from './project-store';
import { withoutConflicts } from './import/conflicts';
import { datasetPath } from './import/image-path';
import { emptyReport, shown, type ImageRow, type ImportReport } from './import/report';
import { datasetId, upsertImages } from './import/store-rows';
import { findingsLabel, type FindingTruth } from './multilabel-labels';

const splits = ['train', 'val', 'test'];

/**
 * Whether a CSV's header makes it a findings table: `path` first, then finding columns (anything
 * but the `label` of a path,label[,split] file). Such a file gives multi-label ground truth.
 */
export function isFindingsCsv(rows: CsvRow[]): boolean {
  const header = rows[0]?.line === 1 ? rows[0].fields.map((f) => f.trim().toLowerCase()) : [];
  return header[0] === 'path' && header.length >= 2 && header[1] !== 'label';
}

/** A findings cell: 1 present, 0 absent, blank unknown; CheXpert's -1 (uncertain) counts as unknown. */
function cellTruth(cell: string): FindingTruth | undefined {
  switch (cell.trim()) {
    case '1':
    case '1.0':
      return 'present';
    case '0':
    case '0.0':
      return 'absent';
    case '':
    case '-1':
    case '-1.0':
      return 'unknown';
    default:
      return undefined;
  }
}

/**
 * A CSV of `path,<finding>,<finding>,...[,split]` with one 0/1 column per finding (blank: unknown),
 * paths relative to `root`: each row becomes the image's multi-label label (see
 * multilabel-labels.ts). Every bad row or cell is reported with its line; the import goes on.
 */
export async function importFindingsCsv(store: ProjectStore, name: string, csvFile: string, root: string, rows: CsvRow[], report: ImportReport = emptyReport(name)): Promise<ImportReport> {
  const absoluteRoot = resolve(root);
  const at = (line: number): string => `${shown(basename(csvFile))} line ${line}`;
  const header = rows[0]!.fields.map((f) => f.trim());
  const splitColumn = header.findIndex((h, i) => i > 0 && h.toLowerCase() === 'split');
  const findingColumns = header.map((finding, column) => ({ finding, column })).filter(({ column }) => column > 0 && column !== splitColumn);
  for (const { finding, column } of findingColumns) {
    if (finding === '') report.problems.push({ where: at(1), reason: `column ${column + 1} has no finding name in the header; its values are not imported` });
  }
  const named = findingColumns.filter((f) => f.finding !== '');
  const good: ImageRow[] = [];
  for (const { line, fields } of rows.slice(1)) {
    const where = at(line);
    if (fields.length !== header.length) {
      report.problems.push({ where, reason: `expected ${header.length} fields as in the header (path, ${named.length} findings${splitColumn > 0 ? ', split' : ''}) but found ${fields.length}` });
      continue;
    }
    const path = datasetPath(absoluteRoot, fields[0]!);
    if ('problem' in path) {
      report.problems.push({ where, reason: path.problem });
      continue;
    }
    const bad = named.find(({ column }) => cellTruth(fields[column]!) === undefined);
    if (bad) {
      report.problems.push({ where, reason: `"${shown(fields[bad.column]!.trim())}" for ${shown(bad.finding)} is not 1 (present), 0 (absent) or blank (unknown)` });
      continue;
    }
    const split = splitColumn > 0 ? fields[splitColumn]!.trim() || null : null;
    if (split && !splits.includes(split)) {
      report.problems.push({ where, reason: `split "${shown(split)}" is not train, val or test` });
      continue;
    }
    const label = findingsLabel(named.map(({ finding, column }) => ({ finding, value: cellTruth(fields[column]!)! })));
    good.push({ path: path.path, label, split, where });
  }
  await upsertImages(store, datasetId(store, name, absoluteRoot), absoluteRoot, withoutConflicts(good, report.problems), report);
  // Problems in file order, whether found while parsing, comparing rows or reading the image.
  const lineOf = (p: { where: string }): number => Number(/line (\d+)$/.exec(p.where)?.[1] ?? 0);
  report.problems.sort((a, b) => lineOf(a) - lineOf(b));
  return report;
}
