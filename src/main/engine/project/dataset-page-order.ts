import type { z } from 'zod';
import type { DatasetImagesParams } from '../../../shared/contract/project';
import { keptUntilChange } from './data-version-cache';
import { imagesWithout, type ImagesWithout } from './images-without-result';
import { walkByPath, walkOrdered, type OrderedRows } from './order-walk';
import type { ProjectStore } from './project-store';
import { hasMetricValueSql } from './result-metric-order';

type Query = z.output<typeof DatasetImagesParams>;

/**
 * The image ids of one page of the dataset browser, in order, found by walking an index instead of
 * sorting the dataset: a page of 100,000 images costs the index entries before it and the page's
 * rows, not a sort of every row (SQLite's plan has no "USE TEMP B-TREE FOR ORDER BY"). The order
 * is exactly `datasetImages`' general query's: rows without a value last whichever the direction,
 * ties by path. A sort is split in two walks where rows without a value come last: those with one,
 * in the sort's order, then the others by path.
 *
 * `total` is the dataset's number of images (the caller has counted them).
 *
 * Undefined when no index serves the query (a search or a label, study or series filter; a run not
 * known to be this dataset's; a metric whose name has a double quote; the DICOM order of a dataset
 * that has DICOM images): the general query sorts.
 */
export function pageImageIds(store: ProjectStore, datasetId: number, query: Query, labels: string[], total: number): number[] | undefined {
  if (query.search?.trim() || query.label !== undefined || query.studyUid !== undefined || query.seriesUid !== undefined) return undefined;
  const direction = query.descending ? 'DESC' : 'ASC';
  const page = { offset: query.offset, limit: query.limit };
  switch (query.sort) {
    case 'path':
      return byPath(store, datasetId, direction, page);
    case 'series':
      // Without DICOM images no row has a DICOM place: the order is by path.
      return hasDicom(store, datasetId) ? undefined : byPath(store, datasetId, 'ASC', page);
    case 'predicted':
      return query.runId === undefined ? byPath(store, datasetId, 'ASC', page) : byPredicted(store, datasetId, query.runId, labels, direction, page, total);
    case 'confidence':
      return query.runId === undefined ? byPath(store, datasetId, 'ASC', page) : byConfidence(store, datasetId, query.runId, direction, page, total);
    case 'label':
      return byLabel(store, datasetId, direction, page);
    default:
      // Any other sort is a metric of the run (`datasetImages` has checked that it stored one).
      return query.runId === undefined ? undefined : byMetric(store, datasetId, query.runId, query.sort, direction, page, total);
  }
}

interface Page {
  offset: number;
  limit: number;
}

const ids = (rows: unknown[]): number[] => (rows as Array<{ id: number }>).map((r) => Number(r.id));

/** A count (`SELECT count(*) AS n …`) that every page asks for, kept until the data changes. */
const keptCount = (store: ProjectStore, sql: string, ...args: unknown[]): number =>
  keptUntilChange(store, `count\n${sql}\n${JSON.stringify(args)}`, () => Number((store.db.prepare(sql).get(...args) as { n: number }).n));

function byPath(store: ProjectStore, datasetId: number, direction: 'ASC' | 'DESC', page: Page): number[] {
  return ids(store.db.prepare(`SELECT id FROM images WHERE dataset_id = ? ORDER BY path ${direction} LIMIT ? OFFSET ?`).all(datasetId, page.limit, page.offset));
}

function hasDicom(store: ProjectStore, datasetId: number): boolean {
  return store.db.prepare('SELECT 1 FROM images i JOIN dicom_instances d ON d.image_id = i.id WHERE i.dataset_id = ? LIMIT 1').get(datasetId) !== undefined;
}

/**
 * Two walks in a row: `first` rows (those with a value, `firstCount` of them) from the page's
 * offset, then `rest` rows (by path) for what the page has left.
 */
function twoParts(page: Page, firstCount: number, first: (limit: number, offset: number) => number[], rest: (limit: number, offset: number) => number[], restCount: number): number[] {
  const head = page.offset < firstCount ? first(page.limit, page.offset) : [];
  const left = page.limit - head.length;
  if (left <= 0 || restCount === 0) return head;
  return [...head, ...rest(left, Math.max(0, page.offset - firstCount))];
}

/** By label ignoring case (an index per direction keeps ties in path order), the unlabelled last by path. */
function byLabel(store: ProjectStore, datasetId: number, direction: 'ASC' | 'DESC', page: Page): number[] {
  const db = store.db;
  const labelled = keptCount(store, 'SELECT count(*) AS n FROM images WHERE dataset_id = ? AND label IS NOT NULL', datasetId);
  const unlabelled = keptCount(store, 'SELECT count(*) AS n FROM images WHERE dataset_id = ? AND label IS NULL', datasetId);
  const index = direction === 'ASC' ? 'images_label_order' : 'images_label_order_desc';
  return twoParts(
    page,
    labelled,
    (limit, offset) => ids(db.prepare(`SELECT id FROM images INDEXED BY ${index} WHERE dataset_id = ? AND label IS NOT NULL ORDER BY label COLLATE NOCASE ${direction}, path LIMIT ? OFFSET ?`).all(datasetId, limit, offset)),
    (limit, offset) => ids(db.prepare('SELECT id FROM images WHERE dataset_id = ? AND label IS NULL ORDER BY path LIMIT ? OFFSET ?').all(datasetId, limit, offset)),
    unlabelled,
  );
}

/**
 * By the run's confidence (`result_order`: score, ties by path), then the images without a scored
 * result by path. Only for a run of this dataset (its results are this dataset's images).
 */
function byConfidence(store: ProjectStore, datasetId: number, runId: number, direction: 'ASC' | 'DESC', page: Page, total: number): number[] | undefined {
  const db = store.db;
  if (!runOfDataset(store, runId, datasetId)) return undefined;
  const where = 'run_id = ? AND score IS NOT NULL';
  const scored = keptCount(store, `SELECT count(*) AS n FROM result_order WHERE ${where}`, runId);
  const rows: OrderedRows = { db, table: 'result_order', value: 'score', where, args: [runId], count: scored };
  const missing: ImagesWithout = { datasetId, runId, condition: 'r.score IS NOT NULL', args: [], key: 'score', total, count: total - scored };
  return twoParts(
    page,
    scored,
    (limit, offset) => walkOrdered(rows, direction, limit, offset),
    (limit, offset) => imagesWithout(store, missing, limit, offset),
    total - scored,
  );
}

/** Whether a run audited this dataset (its parameters say so): its results are then this dataset's images. */
function runOfDataset(store: ProjectStore, runId: number, datasetId: number): boolean {
  const run = store.db.prepare("SELECT json_extract(params, '$.dataset') AS dataset FROM runs WHERE id = ?").get(runId) as { dataset: unknown } | undefined;
  return run !== undefined && Number(run.dataset) === datasetId;
}

/** SQLite's NOCASE: ASCII letters folded, nothing else. */
const nocase = (text: string): string => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * By the predicted label (ignoring case), then the images without a result by path. The run's
 * classes are few: their counts come from an index (kept until the data changes), SQLite orders
 * their labels, and only the
 * classes the page reaches into are read, each a walk of `result_order` in path order (a page
 * costs its own rows and the index entries before it in its class, or after it, whichever is
 * fewer). Classes whose labels differ only in case are one group, whose images SQL sorts by path
 * (only a model with such labels has one).
 */
function byPredicted(store: ProjectStore, datasetId: number, runId: number, labels: string[], direction: 'ASC' | 'DESC', page: Page, total: number): number[] | undefined {
  const db = store.db;
  if (!runOfDataset(store, runId, datasetId)) return undefined;
  const classesSql = `WITH labels(idx, name) AS MATERIALIZED (SELECT CAST(key AS INTEGER), value FROM json_each(?)),
         classes AS (SELECT target, count(*) AS n FROM result_order INDEXED BY result_order_target WHERE run_id = ? GROUP BY target)
       SELECT c.target, c.n, coalesce(l.name, 'class ' || c.target) AS label FROM classes c LEFT JOIN labels l ON l.idx = c.target
       ORDER BY label COLLATE NOCASE ${direction}`;
  const classes = keptUntilChange(store, `classes\n${classesSql}\n${JSON.stringify(labels)}\n${runId}`, () => db.prepare(classesSql).all(JSON.stringify(labels), runId) as Array<{ target: number; n: number; label: string }>);
  // Classes whose labels are equal ignoring case are one group: their images are sorted together.
  const groups: Array<{ targets: number[]; n: number }> = [];
  let last: string | undefined;
  for (const c of classes) {
    const key = nocase(String(c.label));
    if (key === last) {
      groups.at(-1)!.targets.push(Number(c.target));
      groups.at(-1)!.n += Number(c.n);
    } else groups.push({ targets: [Number(c.target)], n: Number(c.n) });
    last = key;
  }
  const predicted = groups.reduce((sum, g) => sum + g.n, 0);
  const ofGroup = (group: { targets: number[]; n: number }, limit: number, offset: number): number[] =>
    group.targets.length === 1
      ? walkByPath({ db, table: 'result_order', where: 'run_id = ? AND target = ?', args: [runId, group.targets[0]], count: group.n }, limit, offset)
      : ids(db.prepare('SELECT image_id AS id FROM result_order WHERE run_id = ? AND target IN (SELECT value FROM json_each(?)) ORDER BY path, image_id LIMIT ? OFFSET ?').all(runId, JSON.stringify(group.targets), limit, offset));
  const missing: ImagesWithout = { datasetId, runId, condition: '1', args: [], key: 'result', total, count: total - predicted };
  return twoParts(
    page,
    predicted,
    (limit, offset) => {
      const out: number[] = [];
      let start = 0;
      for (const group of groups) {
        if (out.length >= limit) break;
        const end = start + group.n;
        if (offset + out.length < end) out.push(...ofGroup(group, limit - out.length, Math.max(0, offset + out.length - start)));
        start = end;
      }
      return out;
    },
    (limit, offset) => imagesWithout(store, missing, limit, offset),
    total - predicted,
  );
}

/**
 * By a metric of the run (`result_metric_order`: value, ties by path), then the images without a
 * value by path. Only for a run of this dataset.
 */
function byMetric(store: ProjectStore, datasetId: number, runId: number, name: string, direction: 'ASC' | 'DESC', page: Page, total: number): number[] | undefined {
  const db = store.db;
  // The general query's JSON path cannot name a key with a double quote (the table leaves those out).
  if (name.includes('"') || !runOfDataset(store, runId, datasetId)) return undefined;
  const where = 'run_id = ? AND name = ?';
  const valued = keptCount(store, `SELECT count(*) AS n FROM result_metric_order WHERE ${where}`, runId, name);
  const rows: OrderedRows = { db, table: 'result_metric_order', value: 'value', where, args: [runId, name], count: valued };
  const missing: ImagesWithout = { datasetId, runId, condition: hasMetricValueSql, args: [`$."${name}"`], key: `metric:${name}`, total, count: total - valued };
  return twoParts(
    page,
    valued,
    (limit, offset) => walkOrdered(rows, direction, limit, offset),
    (limit, offset) => imagesWithout(store, missing, limit, offset),
    total - valued,
  );
}
