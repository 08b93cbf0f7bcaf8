import { basename } from 'node:path';
import { parseCsv, type CsvRow } from '../csv';
import { findDataset, type DatasetRef } from '../dataset-files';
import type { ProjectStore } from '../project-store';
import { inTransaction } from '../transaction';
import { withoutConflicts } from './conflicts';
import { datasetPath } from './image-path';
import { readImportFile } from './source-file';
import { emptyReport, shown, type ImageRow, type ImportReport, type LabelsKey } from './report';
import { looksLikeUid } from './uid';

const splits = ['train', 'val', 'test'];

/** Header names of the key column that say what it holds. */
const sopHeaders = /^(sop[ _]?instance[ _]?uid|sop[ _]?uid|sop|uid|\(0008,0018\))$/i;
const fileHeaders = /^(path|file|file[ _]?name|filename|image)$/i;

/**
 * Labels (and splits) for the images of an imported dataset, from a CSV of `key,label[,split]`.
 * The key is the image's SOP Instance UID (what a PACS export or a DICOM labelling tool writes)
 * or its file path relative to the dataset root. `auto` decides by the header (`SOPInstanceUID`,
 * `path`…) or, without one, by the values: UIDs that match the dataset's SOP instances mean
 * `sop`, anything else `file`. A key that matches no image is a problem of its row, as is one key
 * given two labels; the other rows are applied.
 */
export function importLabels(store: ProjectStore, name: string, csvFile: string, key: LabelsKey | 'auto' = 'auto'): ImportReport {
  const dataset = findDataset(store, name);
  const report = emptyReport(name);
  const file = shown(basename(csvFile));
  const at = (line: number): string => `${file} line ${line}`;
  const { rows, errors } = parseCsv(readImportFile(csvFile, 'label CSV'));
  for (const e of errors) report.problems.push({ where: at(e.line), reason: e.reason });
  const headerKey = rows[0]?.line === 1 ? rows[0].fields[0]?.trim() ?? '' : '';
  const header = sopHeaders.test(headerKey) ? 'sop' : fileHeaders.test(headerKey) || /^label$/i.test(rows[0]?.fields[1]?.trim() ?? '') ? 'file' : undefined;
  const body = header ? rows.slice(1) : rows;
  const sopPaths = pathsBySop(store, dataset);
  const chosen: LabelsKey = key !== 'auto' ? key : header === 'sop' || (header === undefined && keyedBySop(body, sopPaths, store, dataset)) ? 'sop' : 'file';
  report.labelsKey = chosen;
  const find = store.db.prepare('SELECT 1 FROM images WHERE dataset_id = ? AND path = ?');
  const good: ImageRow[] = [];
  for (const { line, fields } of body) {
    const where = at(line);
    if (fields.length < 2 || fields.length > 3) {
      report.problems.push({ where, reason: `expected ${chosen === 'sop' ? 'SOP Instance UID' : 'path'},label[,split] but found ${fields.length} field(s)` });
      continue;
    }
    const given = fields[0]!.trim();
    const split = fields[2]?.trim() || null;
    if (split && !splits.includes(split)) {
      report.problems.push({ where, reason: `split "${shown(split)}" is not train, val or test` });
      continue;
    }
    const label = fields[1]!.trim() || null;
    let paths: string[];
    if (chosen === 'sop') {
      paths = sopPaths.get(given) ?? [];
      if (paths.length === 0) {
        report.problems.push({ where, reason: `no image of dataset "${shown(name)}" has SOP Instance UID ${shown(given)}` });
        continue;
      }
    } else {
      const path = datasetPath(dataset.root, given);
      if ('problem' in path) {
        report.problems.push({ where, reason: path.problem });
        continue;
      }
      if (!find.get(dataset.id, path.path)) {
        report.problems.push({ where, reason: `no image of dataset "${shown(name)}" has the path ${shown(path.path)}; import the image first` });
        continue;
      }
      paths = [path.path];
    }
    for (const path of paths) good.push({ path, label, split, where });
  }
  applyLabels(store, dataset, withoutConflicts(good, report.problems), report);
  const lineOf = (p: { where: string }): number => Number(/line (\d+)$/.exec(p.where)?.[1] ?? 0);
  report.problems.sort((a, b) => lineOf(a) - lineOf(b));
  return report;
}

/** The dataset's image paths by SOP Instance UID (two copies of one instance are both labelled). */
function pathsBySop(store: ProjectStore, dataset: DatasetRef): Map<string, string[]> {
  const rows = store.db
    .prepare('SELECT d.sop_instance_uid AS uid, i.path FROM dicom_instances d JOIN images i ON i.id = d.image_id WHERE i.dataset_id = ? AND d.sop_instance_uid IS NOT NULL ORDER BY i.path')
    .all(dataset.id) as Array<{ uid: string; path: string }>;
  const byUid = new Map<string, string[]>();
  for (const r of rows) byUid.set(r.uid, [...(byUid.get(r.uid) ?? []), r.path]);
  return byUid;
}

/**
 * Whether a CSV without a telling header is keyed by SOP Instance UID: every key looks like a UID
 * and more of them match an instance than match a path (a folder of files named by their UIDs
 * matches both ways; the UID wins there only if it matches more).
 */
function keyedBySop(body: CsvRow[], sopPaths: Map<string, string[]>, store: ProjectStore, dataset: DatasetRef): boolean {
  const keys = body.map((r) => r.fields[0]?.trim() ?? '').filter((k) => k !== '');
  if (keys.length === 0 || !keys.every(looksLikeUid)) return false;
  const find = store.db.prepare('SELECT 1 FROM images WHERE dataset_id = ? AND path = ?');
  const bySop = keys.filter((k) => sopPaths.has(k)).length;
  const byFile = keys.filter((k) => find.get(dataset.id, k)).length;
  return bySop >= byFile;
}

/** Writes each row's label and split to its image; rows that change nothing count as unchanged. */
function applyLabels(store: ProjectStore, dataset: DatasetRef, rows: ImageRow[], report: ImportReport): void {
  const current = store.db.prepare('SELECT id, label, split FROM images WHERE dataset_id = ? AND path = ?');
  const update = store.db.prepare('UPDATE images SET label = ?, split = ? WHERE id = ?');
  inTransaction(store.db, () => {
    for (const row of rows) {
      const image = current.get(dataset.id, row.path) as { id: number; label: string | null; split: string | null };
      const label = row.label ?? null;
      const split = row.split ?? null;
      if (image.label === label && image.split === split) report.images.unchanged++;
      else {
        update.run(label, split, image.id);
        report.images.updated++;
      }
    }
  });
}
