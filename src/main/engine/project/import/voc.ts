import { readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import type { ProjectStore } from '../project-store';
import { datasetPath } from './image-path';
import { listImportFolder } from './source-file';
import { emptyReport, shown, type Box, type BoxKind, type ImageRow, type ImportReport } from './report';
import { addBoxes, datasetId, upsertImages } from './store-rows';

/**
 * No entity expansion: a DOCTYPE's own entities stay as written (no "billion laughs", no external
 * files). Values stay text (a filename "001.png" is not a number).
 */
const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (tag) => tag === 'object',
});

/**
 * The parsed XML; undefined when the parser refuses the file's DOCTYPE (an external entity, or an
 * internal DTD the validator let through but the parser cannot read). Nothing is fetched either way:
 * such a file is that file's problem, not the import's.
 */
function parseXml(xml: string): unknown {
  try {
    return parser.parse(xml) as unknown;
  } catch {
    return undefined;
  }
}

const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The five standard XML entities and numeric character references, decoded in one pass (so `&amp;lt;` is `&lt;`). */
export function decodeXmlEntities(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/g, (whole, name: string) => {
    if (name[0] !== '#') return named[name]!;
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

const Text = z.string().transform(decodeXmlEntities);
const Coordinate = z.string().trim().regex(/^[-+]?\d+(\.\d+)?$/, 'is not a number').transform(Number);
const VocObject = z.object({
  name: Text.optional(),
  bndbox: z.object({ xmin: Coordinate, ymin: Coordinate, xmax: Coordinate, ymax: Coordinate }),
});
const VocFile = z.object({ annotation: z.object({ filename: Text, object: z.array(z.unknown()).default([]) }) });

/** Pascal VOC: one XML per image (filename and object boxes), images relative to `root`. */
export async function importVoc(store: ProjectStore, name: string, xmlFolder: string, root: string, kind: BoxKind = 'box'): Promise<ImportReport> {
  const report = emptyReport(name);
  const absoluteRoot = resolve(root);
  const entries: Array<ImageRow & { boxes: Array<{ box: Box; where: string }> }> = [];
  for (const xmlName of listImportFolder(xmlFolder, 'VOC folder').filter((f) => extname(f).toLowerCase() === '.xml').sort()) {
    const file = shown(xmlName);
    const xml = readFileSync(join(xmlFolder, xmlName), 'utf8');
    const valid = XMLValidator.validate(xml);
    if (valid !== true) {
      report.problems.push({ where: file, reason: `not well-formed XML (line ${valid.err.line}, column ${valid.err.col})` });
      continue;
    }
    const tree = parseXml(xml);
    if (tree === undefined) {
      report.problems.push({ where: file, reason: 'its DOCTYPE declares external or malformed entities, which Lumen never reads; remove the DOCTYPE from the file' });
      continue;
    }
    const parsed = VocFile.safeParse(tree);
    if (!parsed.success) {
      report.problems.push({ where: file, reason: 'needs <annotation> with a <filename>' });
      continue;
    }
    const path = datasetPath(absoluteRoot, parsed.data.annotation.filename);
    if ('problem' in path) {
      report.problems.push({ where: file, reason: path.problem });
      continue;
    }
    const boxes: Array<{ box: Box; where: string }> = [];
    parsed.data.annotation.object.forEach((raw, k) => {
      const where = `${file} object ${k + 1}`;
      const o = VocObject.safeParse(raw);
      const v = o.success ? o.data.bndbox : undefined;
      if (!o.success || !v || v.xmax < v.xmin || v.ymax < v.ymin) {
        report.problems.push({ where, reason: 'needs a bndbox with xmin <= xmax and ymin <= ymax' });
        return;
      }
      // VOC pixel coordinates are 1-based and inclusive.
      boxes.push({ box: { label: o.data.name ?? '', x0: v.xmin - 1, y0: v.ymin - 1, x1: v.xmax, y1: v.ymax }, where });
    });
    entries.push({ path: path.path, where: file, boxes });
  }
  const stored = await upsertImages(store, datasetId(store, name, absoluteRoot), absoluteRoot, entries, report);
  for (const e of entries) {
    const image = stored.get(e.path);
    if (image !== undefined) addBoxes(store, image, e.boxes, 'voc', report, kind);
  }
  return report;
}
