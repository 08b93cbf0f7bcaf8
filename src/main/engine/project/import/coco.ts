import { basename, resolve } from 'node:path';
import { z } from 'zod';
import { describeZodError, LumenError } from '../../../../shared/errors';
import { parseJsonText } from '../../io/json-text';
import type { ProjectStore } from '../project-store';
import { datasetPath } from './image-path';
import { readImportFile } from './source-file';
import { emptyReport, shown, type Box, type BoxKind, type ImageRow, type ImportReport } from './report';
import { addBoxes, datasetId, upsertImages } from './store-rows';

const CocoFile = z.object({
  images: z.array(z.unknown()),
  annotations: z.array(z.unknown()).default([]),
  categories: z.array(z.unknown()).default([]),
});
const Id = z.number().int();
const CocoImage = z.object({ id: Id, file_name: z.string().min(1) });
const CocoCategory = z.object({ id: Id, name: z.string() });
const CocoAnnotation = z.object({
  image_id: Id,
  category_id: Id,
  bbox: z.tuple([z.number(), z.number(), z.number().nonnegative(), z.number().nonnegative()]),
});

const hint = 'Give a COCO JSON with "images", "annotations" and "categories".';

/**
 * COCO JSON: its images (relative to `root`) and their bounding boxes, labelled by category name.
 * Each image, category and annotation is checked on its own: a wrong one is a problem of its row
 * (named by its index in the file), the others are imported.
 */
export async function importCoco(store: ProjectStore, name: string, cocoFile: string, root: string, kind: BoxKind = 'box'): Promise<ImportReport> {
  const report = emptyReport(name);
  const absoluteRoot = resolve(root);
  const file = shown(basename(cocoFile));
  const json = parseJsonText(readImportFile(cocoFile, 'COCO file'));
  if (!json.ok) throw new LumenError('invalid-argument', `${cocoFile} ${json.problem}.`, hint, { path: cocoFile });
  const top = CocoFile.safeParse(json.value);
  if (!top.success) throw new LumenError('invalid-argument', `${cocoFile} is not a COCO annotation file: ${describeZodError(top.error)}.`, hint, { path: cocoFile });
  const problem = (where: string, reason: string): void => void report.problems.push({ where: `${file} ${where}`, reason });

  const categories = new Map<number, string>();
  top.data.categories.forEach((raw, k) => {
    const c = CocoCategory.safeParse(raw);
    if (!c.success) return problem(`categories[${k}]`, `needs an integer id and a name (${describeZodError(c.error)})`);
    if (categories.has(c.data.id)) return problem(`categories[${k}]`, `category id ${c.data.id} is given twice`);
    categories.set(c.data.id, c.data.name);
  });

  const paths = new Map<number, string>();
  const rows: ImageRow[] = [];
  top.data.images.forEach((raw, k) => {
    const i = CocoImage.safeParse(raw);
    if (!i.success) return problem(`images[${k}]`, `needs an integer id and a file_name string (${describeZodError(i.error)})`);
    if (paths.has(i.data.id)) return problem(`image ${i.data.id}`, `image id ${i.data.id} is given twice`);
    const path = datasetPath(absoluteRoot, i.data.file_name);
    if ('problem' in path) return problem(`image ${i.data.id}`, path.problem);
    paths.set(i.data.id, path.path);
    rows.push({ path: path.path, where: `${file} image ${i.data.id}` });
  });
  const stored = await upsertImages(store, datasetId(store, name, absoluteRoot), absoluteRoot, rows, report);

  const boxes = new Map<string, Array<{ box: Box; where: string }>>();
  top.data.annotations.forEach((raw, k) => {
    const where = `annotation ${k}`;
    const a = CocoAnnotation.safeParse(raw);
    if (!a.success) return problem(where, `needs image_id, category_id and bbox [x, y, width, height] (${describeZodError(a.error)})`);
    const label = categories.get(a.data.category_id);
    if (label === undefined) return problem(where, `category ${a.data.category_id} is not among the file's categories`);
    const path = paths.get(a.data.image_id);
    if (path === undefined || !stored.has(path)) return problem(where, `image ${a.data.image_id} is not among the imported images`);
    const [x, y, w, h] = a.data.bbox;
    boxes.set(path, [...(boxes.get(path) ?? []), { box: { label, x0: x, y0: y, x1: x + w, y1: y + h }, where: `${file} ${where}` }]);
  });
  for (const [path, list] of boxes) addBoxes(store, stored.get(path)!, list, 'coco', report, kind);
  return report;
}
