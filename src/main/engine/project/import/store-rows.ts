import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { LumenError } from '../../../../shared/errors';
import { isDicom, readDicomFacts } from '../../image/dicom/read-dicom-facts';
import { confine } from '../../paths/confine';
import type { ProjectStore } from '../project-store';
import { inTransaction } from '../transaction';
import { oneLine } from '../../io/one-line';
import { clipBox, formatBox } from './boxes';
import { dicomInstanceOf, saveDicomInstance, type DicomInstance } from './dicom-instance';
import { imageProblem } from './image-problem';
import { shown, type Box, type BoxKind, type ImageRow, type ImportReport } from './report';

/** An image as it is in the project after an import: its row id and its size in pixels. */
export interface StoredImage {
  id: number;
  width: number;
  height: number;
}

/** The dataset of this name, created with this root, or the existing one if its root agrees. */
export function datasetId(store: ProjectStore, name: string, root: string): number {
  const existing = store.db.prepare('SELECT id, root FROM datasets WHERE name = ?').get(name) as { id: number; root: string } | undefined;
  if (existing) {
    if (existing.root !== root) {
      throw new LumenError('invalid-argument', `Dataset "${name}" already has its images under ${existing.root}, not ${root}.`, 'If the images moved, re-root the dataset; otherwise import under another name.');
    }
    return existing.id;
  }
  return Number(store.db.prepare('INSERT INTO datasets (name, root, created_at) VALUES (?, ?, ?)').run(name, root, new Date().toISOString()).lastInsertRowid);
}

/** What an import learns of an image file: its hash, size, pixel size, and for DICOM its instance facts. */
interface ImageFacts {
  sha256: string;
  bytes: number;
  width: number;
  height: number;
  dicom?: DicomInstance;
}

/**
 * sha256, size and pixel size of an image file; an unreadable or undecodable file is a problem.
 * A DICOM file is judged by its header (the reader's facts): one without pixel data (a structured
 * report, an RT plan, a DICOMDIR) is a problem that says what it is, so it is listed, never dropped.
 */
async function describe(path: string, name: string): Promise<ImageFacts> {
  const data = readFileSync(path);
  const sha256 = createHash('sha256').update(data).digest('hex');
  if (isDicom(data)) {
    const facts = readDicomFacts(data, name);
    return { sha256, bytes: data.length, width: facts.columns, height: facts.rows, dicom: dicomInstanceOf(facts) };
  }
  const meta = await sharp(data)
    .metadata()
    .catch(() => undefined);
  if (!meta?.width || !meta.height) throw new Error(imageProblem(data));
  return { sha256, bytes: data.length, width: meta.width, height: meta.height };
}

/** Files read, hashed and measured ahead of the one being stored (sharp measures on its own threads). */
const describeAhead = 16;
/** Images stored per commit: one commit per image made an import of 100,000 files take tens of minutes. */
const imagesPerCommit = 500;

type Described = { row: ImageRow; facts: ImageFacts } | { row: ImageRow; problem: string };

/** An image file's facts, or the problem that keeps it out (said in the report, never thrown). */
async function describeRow(root: string, row: ImageRow): Promise<Described> {
  try {
    const file = confine(root, row.path);
    if (file === null) throw new Error(`the path ${shown(row.path)} is outside the dataset root`);
    return { row, facts: await describe(file, row.path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? `the image file ${shown(row.path)} does not exist under ${root}` : code === 'EISDIR' ? `${shown(row.path)} is a folder, not an image file` : oneLine((error as Error).message);
    return { row, problem };
  }
}

/**
 * Adds or updates images (by path); a bad file only loses itself (it is a problem in the report).
 * The path is confined to the root once more here, right before the read, whichever importer
 * produced it. Files are read and measured a few at a time, in parallel, and stored in path order
 * in commits of a few hundred images (an image and its DICOM facts always in the same commit); an
 * import that stops loses at most the commit in flight, and importing again adds the rest.
 */
export async function upsertImages(store: ProjectStore, dataset: number, root: string, rows: ImageRow[], report: ImportReport): Promise<Map<string, StoredImage>> {
  const find = store.db.prepare('SELECT id, sha256, label, split FROM images WHERE dataset_id = ? AND path = ?');
  const insert = store.db.prepare('INSERT INTO images (dataset_id, path, sha256, bytes, width, height, label, split) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const update = store.db.prepare('UPDATE images SET sha256 = ?, bytes = ?, width = ?, height = ?, label = ?, split = ? WHERE id = ?');
  const hasFacts = store.db.prepare('SELECT 1 FROM dicom_instances WHERE image_id = ?');
  const stored = new Map<string, StoredImage>();

  const storeOne = (row: ImageRow, facts: ImageFacts): void => {
    const existing = find.get(dataset, row.path) as { id: number; sha256: string; label: string | null; split: string | null } | undefined;
    // A row that says nothing of the label or split (COCO, VOC, a DICOM folder) keeps what an
    // earlier import gave the image: boxes or new files added later never wipe a labelling.
    const label = row.label === undefined ? (existing?.label ?? null) : row.label;
    const split = row.split === undefined ? (existing?.split ?? null) : row.split;
    const unchanged = existing !== undefined && existing.sha256 === facts.sha256 && existing.label === label && existing.split === split;
    // DICOM facts are (re)written with a new or changed file, or when an image has none yet
    // (imported before Lumen read DICOM); an unchanged file costs no write at all.
    const needsFacts = !existing || existing.sha256 !== facts.sha256 || (facts.dicom !== undefined && !hasFacts.get(existing.id));
    let id = existing ? Number(existing.id) : 0;
    if (!existing) id = Number(insert.run(dataset, row.path, facts.sha256, facts.bytes, facts.width, facts.height, label, split).lastInsertRowid);
    else if (!unchanged) update.run(facts.sha256, facts.bytes, facts.width, facts.height, label, split, existing.id);
    if (needsFacts) saveDicomInstance(store, id, facts.dicom);
    if (!existing) report.images.added++;
    else if (unchanged) report.images.unchanged++;
    else report.images.updated++;
    stored.set(row.path, { id, width: facts.width, height: facts.height });
  };

  const pending: Array<Promise<Described>> = [];
  let next = 0;
  const refill = (): void => {
    while (next < rows.length && pending.length < describeAhead) pending.push(describeRow(root, rows[next++]!));
  };
  let batch: Array<{ row: ImageRow; facts: ImageFacts }> = [];
  const commit = (): void => {
    if (batch.length === 0) return;
    const counts = { ...report.images };
    const done = batch;
    batch = [];
    try {
      inTransaction(store.db, () => {
        for (const { row, facts } of done) storeOne(row, facts);
      });
    } catch (error) {
      // The commit was rolled back: its images are not counted (nor kept) either.
      report.images = counts;
      for (const { row } of done) stored.delete(row.path);
      throw error;
    }
  };
  refill();
  while (pending.length > 0) {
    const described = await pending.shift()!;
    refill();
    if ('problem' in described) {
      report.problems.push({ where: described.row.where, reason: described.problem });
      continue;
    }
    batch.push(described);
    if (batch.length >= imagesPerCommit) commit();
  }
  commit();
  return stored;
}

/**
 * Stores an image's boxes, each cut to the image first: a box reaching outside is kept clipped and
 * said so; one wholly outside is a problem and not stored. Re-imports add nothing twice.
 */
export function addBoxes(store: ProjectStore, image: StoredImage, boxes: Array<{ box: Box; where: string }>, source: string, report: ImportReport, kind: BoxKind): void {
  const insert = store.db.prepare('INSERT OR IGNORE INTO annotations (image_id, kind, label, x0, y0, x1, y1, source, identity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const { box, where } of boxes) {
    const cut = clipBox(box, image.width, image.height);
    if (cut === null) {
      report.problems.push({ where, reason: `the box ${formatBox(box)} lies outside the ${image.width} x ${image.height} image` });
      continue;
    }
    if (cut.clipped) report.problems.push({ where, reason: `the box ${formatBox(box)} reaches outside the ${image.width} x ${image.height} image; clipped to ${formatBox(cut.box)}`, kept: true });
    const b = cut.box;
    const changes = insert.run(image.id, kind, b.label, b.x0, b.y0, b.x1, b.y1, source, `${kind}|${b.label}|${b.x0}|${b.y0}|${b.x1}|${b.y1}`).changes;
    if (changes > 0) report.annotations.added++;
    else report.annotations.unchanged++;
  }
}
