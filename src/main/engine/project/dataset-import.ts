import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import { LumenError } from '../../../shared/errors';
import { listImages } from '../image/list-images';
import { parseCsv } from './csv';
import type { ProjectStore } from './project-store';

/** A row or file that could not be imported, with where it is and why; the import goes on. */
export interface ImportProblem {
  where: string;
  reason: string;
}

export interface ImportReport {
  dataset: string;
  images: { added: number; updated: number; unchanged: number };
  annotations: { added: number; unchanged: number };
  problems: ImportProblem[];
}

interface ImageRow {
  path: string;
  label?: string | null;
  split?: string | null;
}

interface Box {
  label: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The dataset of this name, created with this root, or the existing one if its root agrees. */
function datasetId(store: ProjectStore, name: string, root: string): number {
  const existing = store.db.prepare('SELECT id, root FROM datasets WHERE name = ?').get(name) as { id: number; root: string } | undefined;
  if (existing) {
    if (existing.root !== root) {
      throw new LumenError('invalid-argument', `Dataset "${name}" already has its images under ${existing.root}, not ${root}.`, 'If the images moved, re-root the dataset; otherwise import under another name.');
    }
    return existing.id;
  }
  return Number(store.db.prepare('INSERT INTO datasets (name, root, created_at) VALUES (?, ?, ?)').run(name, root, new Date().toISOString()).lastInsertRowid);
}

/** sha256, size and pixel size of an image file; an unreadable or undecodable file is a problem. */
async function describe(path: string): Promise<{ sha256: string; bytes: number; width: number; height: number }> {
  const data = readFileSync(path);
  const meta = await sharp(data).metadata();
  if (!meta.width || !meta.height) throw new Error('not a decodable image');
  return { sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length, width: meta.width, height: meta.height };
}

/** Adds or updates images (by path); each in the same transaction as nothing else, so a bad one only loses itself. */
async function upsertImages(store: ProjectStore, dataset: number, root: string, rows: Array<ImageRow & { where: string }>, report: ImportReport): Promise<Map<string, number>> {
  const find = store.db.prepare('SELECT id, sha256, label, split FROM images WHERE dataset_id = ? AND path = ?');
  const insert = store.db.prepare('INSERT INTO images (dataset_id, path, sha256, bytes, width, height, label, split) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const update = store.db.prepare('UPDATE images SET sha256 = ?, bytes = ?, width = ?, height = ?, label = ?, split = ? WHERE id = ?');
  const ids = new Map<string, number>();
  for (const row of rows) {
    const file = join(root, row.path);
    let facts;
    try {
      if (!existsSync(file)) throw new Error(`the image file ${file} does not exist`);
      facts = await describe(file);
    } catch (error) {
      report.problems.push({ where: row.where, reason: (error as Error).message });
      continue;
    }
    const label = row.label ?? null;
    const split = row.split ?? null;
    const existing = find.get(dataset, row.path) as { id: number; sha256: string; label: string | null; split: string | null } | undefined;
    if (!existing) {
      ids.set(row.path, Number(insert.run(dataset, row.path, facts.sha256, facts.bytes, facts.width, facts.height, label, split).lastInsertRowid));
      report.images.added++;
    } else {
      ids.set(row.path, existing.id);
      if (existing.sha256 === facts.sha256 && existing.label === label && existing.split === split) report.images.unchanged++;
      else {
        update.run(facts.sha256, facts.bytes, facts.width, facts.height, label, split, existing.id);
        report.images.updated++;
      }
    }
  }
  return ids;
}

/** Boxes are ground truth (`box`) or regions of interest such as text markers (`region`). */
export type BoxKind = 'box' | 'region';

function addBoxes(store: ProjectStore, imageId: number, boxes: Box[], source: string, report: ImportReport, kind: BoxKind): void {
  const insert = store.db.prepare('INSERT OR IGNORE INTO annotations (image_id, kind, label, x0, y0, x1, y1, source, identity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const b of boxes) {
    const changes = insert.run(imageId, kind, b.label, b.x0, b.y0, b.x1, b.y1, source, `${kind}|${b.label}|${b.x0}|${b.y0}|${b.x1}|${b.y1}`).changes;
    if (changes > 0) report.annotations.added++;
    else report.annotations.unchanged++;
  }
}

function emptyReport(dataset: string): ImportReport {
  return { dataset, images: { added: 0, updated: 0, unchanged: 0 }, annotations: { added: 0, unchanged: 0 }, problems: [] };
}

/** Relative, forward-slashed, inside the root: how image paths are stored. */
function normalisePath(root: string, path: string): string | undefined {
  const absolute = isAbsolute(path) ? path : join(root, path);
  const rel = relative(root, absolute);
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/** A folder tree: every image under it; its first sub-folder, if any, is its label. */
export async function importFolder(store: ProjectStore, name: string, folder: string): Promise<ImportReport> {
  const root = resolve(folder);
  const report = emptyReport(name);
  const paths = await listImages(root);
  const dataset = datasetId(store, name, root);
  await upsertImages(store, dataset, root, paths.map((path) => ({ path, label: path.includes('/') ? path.split('/')[0]! : null, where: path })), report);
  return report;
}

/** A CSV of `path,label[,split]` (a header row is recognised), paths relative to `root`. */
export async function importCsv(store: ProjectStore, name: string, csvFile: string, root: string): Promise<ImportReport> {
  const report = emptyReport(name);
  const absoluteRoot = resolve(root);
  const rows = parseCsv(readFileSync(csvFile, 'utf8'));
  const start = rows[0] && rows[0].fields[0]?.trim().toLowerCase() === 'path' ? 1 : 0;
  const good: Array<ImageRow & { where: string }> = [];
  for (const { line, fields } of rows.slice(start)) {
    const where = `${basename(csvFile)} line ${line}`;
    if (fields.length < 2 || fields.length > 3) {
      report.problems.push({ where, reason: `expected path,label[,split] but found ${fields.length} field(s)` });
      continue;
    }
    const path = normalisePath(absoluteRoot, fields[0]!.trim());
    if (!fields[0]!.trim() || !path) {
      report.problems.push({ where, reason: fields[0]!.trim() ? `the path ${fields[0]} is outside the dataset root` : 'the path is empty' });
      continue;
    }
    const split = fields[2]?.trim() || null;
    if (split && !['train', 'val', 'test'].includes(split)) {
      report.problems.push({ where, reason: `split "${split}" is not train, val or test` });
      continue;
    }
    good.push({ path, label: fields[1]!.trim() || null, split, where });
  }
  await upsertImages(store, datasetId(store, name, absoluteRoot), absoluteRoot, good, report);
  // Problems in file order, whether found while parsing or while reading the image.
  const lineOf = (p: ImportProblem): number => Number(/line (\d+)$/.exec(p.where)?.[1] ?? 0);
  report.problems.sort((a, b) => lineOf(a) - lineOf(b));
  return report;
}

const CocoFile = z.object({
  images: z.array(z.object({ id: z.number(), file_name: z.string() }).passthrough()),
  annotations: z.array(z.unknown()).default([]),
  categories: z.array(z.object({ id: z.number(), name: z.string() }).passthrough()).default([]),
});
const CocoAnnotation = z.object({ image_id: z.number(), category_id: z.number(), bbox: z.tuple([z.number(), z.number(), z.number().nonnegative(), z.number().nonnegative()]) }).passthrough();

/** COCO JSON: its images (relative to `root`) and their bounding boxes, labelled by category name. */
export async function importCoco(store: ProjectStore, name: string, cocoFile: string, root: string, kind: BoxKind = 'box'): Promise<ImportReport> {
  const report = emptyReport(name);
  const absoluteRoot = resolve(root);
  let parsed;
  try {
    parsed = CocoFile.parse(JSON.parse(readFileSync(cocoFile, 'utf8')));
  } catch (error) {
    throw new LumenError('invalid-argument', `${cocoFile} is not a COCO annotation file: ${(error as Error).message.split('\n')[0]}.`, 'Give a COCO JSON with "images", "annotations" and "categories".');
  }
  const categories = new Map(parsed.categories.map((c) => [c.id, c.name]));
  const files = new Map(parsed.images.map((i) => [i.id, i.file_name]));
  const ids = await upsertImages(store, datasetId(store, name, absoluteRoot), absoluteRoot, parsed.images.map((i) => ({ path: i.file_name, where: `${basename(cocoFile)} image ${i.id}` })), report);
  parsed.annotations.forEach((raw, k) => {
    const where = `${basename(cocoFile)} annotation ${k}`;
    const a = CocoAnnotation.safeParse(raw);
    if (!a.success) return report.problems.push({ where, reason: 'needs image_id, category_id and bbox [x, y, width, height]' });
    const imageId = ids.get(files.get(a.data.image_id) ?? '');
    if (imageId === undefined) return report.problems.push({ where, reason: `image ${a.data.image_id} is not among the imported images` });
    const [x, y, w, h] = a.data.bbox;
    addBoxes(store, imageId, [{ label: categories.get(a.data.category_id) ?? String(a.data.category_id), x0: x, y0: y, x1: x + w, y1: y + h }], 'coco', report, kind);
    return undefined;
  });
  return report;
}

/** Pascal VOC: one XML per image (filename and object boxes), images relative to `root`. */
export async function importVoc(store: ProjectStore, name: string, xmlFolder: string, root: string, kind: BoxKind = 'box'): Promise<ImportReport> {
  const report = emptyReport(name);
  const absoluteRoot = resolve(root);
  const tag = (xml: string, name: string): string | undefined => new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(xml)?.[1];
  const entries: Array<{ path: string; boxes: Box[]; where: string }> = [];
  for (const file of readdirSync(xmlFolder).filter((f) => extname(f).toLowerCase() === '.xml').sort()) {
    const xml = readFileSync(join(xmlFolder, file), 'utf8');
    const filename = tag(xml, 'filename');
    if (!filename) {
      report.problems.push({ where: file, reason: 'no <filename>' });
      continue;
    }
    const boxes: Box[] = [];
    for (const [k, object] of [...xml.matchAll(/<object>([\s\S]*?)<\/object>/g)].entries()) {
      const values = ['xmin', 'ymin', 'xmax', 'ymax'].map((t) => Number(tag(object[1]!, t)));
      if (values.some((v) => !Number.isFinite(v)) || values[2]! <= values[0]! || values[3]! <= values[1]!) {
        report.problems.push({ where: `${file} object ${k + 1}`, reason: 'needs a bndbox with xmin < xmax and ymin < ymax' });
        continue;
      }
      // VOC pixel coordinates are 1-based and inclusive.
      boxes.push({ label: tag(object[1]!, 'name') ?? '', x0: values[0]! - 1, y0: values[1]! - 1, x1: values[2]!, y1: values[3]! });
    }
    entries.push({ path: filename, boxes, where: file });
  }
  const ids = await upsertImages(store, datasetId(store, name, absoluteRoot), absoluteRoot, entries, report);
  for (const e of entries) {
    const id = ids.get(e.path);
    if (id !== undefined) addBoxes(store, id, e.boxes, 'voc', report, kind);
  }
  return report;
}

/** Mask images (non-zero = object) matched to the dataset's images by file stem. */
export function importMasks(store: ProjectStore, name: string, maskFolder: string, label = ''): ImportReport {
  const report = emptyReport(name);
  const dataset = store.db.prepare('SELECT id FROM datasets WHERE name = ?').get(name) as { id: number } | undefined;
  if (!dataset) throw new LumenError('not-found', `There is no dataset "${name}" in this project.`, 'Import its images first.');
  const images = store.db.prepare('SELECT id, path FROM images WHERE dataset_id = ?').all(dataset.id) as Array<{ id: number; path: string }>;
  const byStem = new Map(images.map((i) => [basename(i.path).replace(/\.[^.]+$/, ''), i.id]));
  const insert = store.db.prepare("INSERT OR IGNORE INTO annotations (image_id, kind, label, mask_path, source, identity) VALUES (?, 'mask', ?, ?, 'mask', ?)");
  for (const file of readdirSync(maskFolder).sort()) {
    const path = resolve(maskFolder, file);
    if (!statSync(path).isFile()) continue;
    const stem = basename(file).replace(/\.[^.]+$/, '').replace(/\.mask$/, '');
    const imageId = byStem.get(stem);
    if (imageId === undefined) {
      report.problems.push({ where: file, reason: `no image named ${stem} in dataset "${name}"` });
      continue;
    }
    if (insert.run(imageId, label, path, `mask|${label}|${path}`).changes > 0) report.annotations.added++;
    else report.annotations.unchanged++;
  }
  return report;
}

/** Points a dataset at the folder its images moved to, after checking they are all there. */
export function rerootDataset(store: ProjectStore, name: string, newRoot: string): { moved: number } {
  const dataset = store.db.prepare('SELECT id FROM datasets WHERE name = ?').get(name) as { id: number } | undefined;
  if (!dataset) throw new LumenError('not-found', `There is no dataset "${name}" in this project.`);
  const root = resolve(newRoot);
  const paths = (store.db.prepare('SELECT path FROM images WHERE dataset_id = ?').all(dataset.id) as Array<{ path: string }>).map((r) => r.path);
  const missing = paths.filter((p) => !existsSync(join(root, p)));
  if (missing.length > 0) {
    throw new LumenError('not-found', `${missing.length} of the ${paths.length} images of "${name}" are not under ${root} (e.g. ${missing[0]}).`, 'Give the folder that holds the moved dataset.');
  }
  store.db.prepare('UPDATE datasets SET root = ? WHERE id = ?').run(root, dataset.id);
  return { moved: paths.length };
}
