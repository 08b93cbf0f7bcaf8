import type { z } from 'zod';
import type { DatasetImagesParams } from '../../../shared/contract/project';
import { pragmaValue, type ProjectStore } from './project-store';
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
  const labelled = Number((db.prepare('SELECT count(*) AS n FROM images WHERE dataset_id = ? AND label IS NOT NULL').get(datasetId) as { n: number }).n);
  const unlabelled = Number((db.prepare('SELECT count(*) AS n FROM images WHERE dataset_id = ? AND label IS NULL').get(datasetId) as { n: number }).n);
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
 * By the run's confidence, then the images without a scored result by path. Only for a run of this
 * dataset (its results are this dataset's images: counted from the index alone). The score at the
 * page's start is found on the index alone; only from its group of equal scores on are rows joined
 * with their paths (ties by path), so a page costs the index entries before it, its own rows and
 * the ties it starts in.
 */
function byConfidence(store: ProjectStore, datasetId: number, runId: number, direction: 'ASC' | 'DESC', page: Page, total: number): number[] | undefined {
  const db = store.db;
  if (!runOfDataset(store, runId, datasetId)) return undefined;
  const scored = Number((db.prepare('SELECT count(*) AS n FROM results WHERE run_id = ? AND score IS NOT NULL').get(runId) as { n: number }).n);
  const [from, before] = direction === 'ASC' ? ['>=', '<'] : ['<=', '>'];
  return twoParts(
    page,
    scored,
    (limit, offset) => {
      const start = db.prepare(`SELECT score FROM results INDEXED BY results_run_score WHERE run_id = ? AND score IS NOT NULL ORDER BY score ${direction} LIMIT 1 OFFSET ?`).get(runId, offset) as { score: number } | undefined;
      if (start === undefined) return [];
      const skipped = Number((db.prepare(`SELECT count(*) AS n FROM results INDEXED BY results_run_score WHERE run_id = ? AND score ${before} ?`).get(runId, start.score) as { n: number }).n);
      return ids(
        db
          .prepare(`SELECT r.image_id AS id FROM results r INDEXED BY results_run_score CROSS JOIN images i ON i.id = r.image_id WHERE r.run_id = ? AND r.score ${from} ? ORDER BY r.score ${direction}, i.path LIMIT ? OFFSET ?`)
          .all(runId, start.score, limit, offset - skipped),
      );
    },
    (limit, offset) =>
      ids(
        db
          .prepare('SELECT i.id FROM images i WHERE i.dataset_id = ? AND NOT EXISTS (SELECT 1 FROM results r WHERE r.run_id = ? AND r.image_id = i.id AND r.score IS NOT NULL) ORDER BY i.path LIMIT ? OFFSET ?')
          .all(datasetId, runId, limit, offset),
      ),
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
 * classes are few: their counts come from an index, SQLite orders their labels, and only the
 * classes the page reaches into are read, each sorted by path (a page costs its classes' results,
 * not the dataset's).
 */
function byPredicted(store: ProjectStore, datasetId: number, runId: number, labels: string[], direction: 'ASC' | 'DESC', page: Page, total: number): number[] | undefined {
  const db = store.db;
  if (!runOfDataset(store, runId, datasetId)) return undefined;
  const classes = db
    .prepare(
      `WITH labels(idx, name) AS MATERIALIZED (SELECT CAST(key AS INTEGER), value FROM json_each(?)),
         classes AS (SELECT target, count(*) AS n FROM results INDEXED BY results_run_target WHERE run_id = ? GROUP BY target)
       SELECT c.target, c.n, coalesce(l.name, 'class ' || c.target) AS label FROM classes c LEFT JOIN labels l ON l.idx = c.target
       ORDER BY label COLLATE NOCASE ${direction}`,
    )
    .all(JSON.stringify(labels), runId) as Array<{ target: number; n: number; label: string }>;
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
  const inGroup = db.prepare('SELECT r.image_id AS id FROM results r INDEXED BY results_run_target CROSS JOIN images i ON i.id = r.image_id WHERE r.run_id = ? AND r.target IN (SELECT value FROM json_each(?)) ORDER BY i.path LIMIT ? OFFSET ?');
  return twoParts(
    page,
    predicted,
    (limit, offset) => {
      const out: number[] = [];
      let start = 0;
      for (const group of groups) {
        if (out.length >= limit) break;
        const end = start + group.n;
        if (offset + out.length < end) out.push(...ids(inGroup.all(runId, JSON.stringify(group.targets), limit - out.length, Math.max(0, offset + out.length - start))));
        start = end;
      }
      return out;
    },
    (limit, offset) =>
      ids(db.prepare('SELECT i.id FROM images i WHERE i.dataset_id = ? AND NOT EXISTS (SELECT 1 FROM results r WHERE r.run_id = ? AND r.image_id = i.id) ORDER BY i.path LIMIT ? OFFSET ?').all(datasetId, runId, limit, offset)),
    total - predicted,
  );
}

/**
 * By a metric of the run (`result_metric_order`: value, ties by path), then the images without a
 * value by path. Only for a run of this dataset. A page costs its own rows and a walk of the index
 * entries before it or after it, whichever end is nearer; never a sort, also where many images
 * share a value.
 */
function byMetric(store: ProjectStore, datasetId: number, runId: number, name: string, direction: 'ASC' | 'DESC', page: Page, total: number): number[] | undefined {
  const db = store.db;
  // The general query's JSON path cannot name a key with a double quote (the table leaves those out).
  if (name.includes('"') || !runOfDataset(store, runId, datasetId)) return undefined;
  const valued = Number((db.prepare('SELECT count(*) AS n FROM result_metric_order WHERE run_id = ? AND name = ?').get(runId, name) as { n: number }).n);
  const metric = { db, runId, name, count: valued };
  return twoParts(
    page,
    valued,
    (limit, offset) => (direction === 'ASC' ? valuedAscending(metric, limit, offset) : valuedDescending(metric, limit, offset)),
    (limit, offset) => withoutValue(store, { datasetId, runId, name, total, count: total - valued }, limit, offset),
    total - valued,
  );
}

/** A run's metric as `result_metric_order` holds it, and its number of rows. */
interface Metric {
  db: ProjectStore['db'];
  runId: number;
  name: string;
  count: number;
}

/** One entry of the metric's index. */
interface Entry {
  value: unknown;
  path: string;
  id: number;
}

/** The index entry at `offset` in ascending order (walked from whichever end is nearer). */
function entryAt(metric: Metric, offset: number): Entry | undefined {
  const fromEnd = offset > metric.count / 2;
  const order = fromEnd ? 'DESC' : 'ASC';
  return metric.db
    .prepare(`SELECT value, path, image_id AS id FROM result_metric_order WHERE run_id = ? AND name = ? ORDER BY value ${order}, path ${order}, image_id ${order} LIMIT 1 OFFSET ?`)
    .get(metric.runId, metric.name, fromEnd ? metric.count - 1 - offset : offset) as Entry | undefined;
}

/** Ascending: one walk of the index from the page's first entry. */
function valuedAscending(metric: Metric, limit: number, offset: number): number[] {
  const start = entryAt(metric, offset);
  if (start === undefined) return [];
  return ids(
    metric.db
      .prepare('SELECT image_id AS id FROM result_metric_order WHERE run_id = ? AND name = ? AND (value, path, image_id) >= (?, ?, ?) ORDER BY value, path, image_id LIMIT ?')
      .all(metric.runId, metric.name, start.value, start.path, start.id, limit),
  );
}

/**
 * Descending (each value's rows still in path order): the value at the page's start, the page's
 * place among its rows (from the count of larger values, or of the others, whichever is fewer), its
 * rows from there, then the rows after it: the index walked backwards gives each value's rows in
 * reverse path order, so they are turned round, and the last value's rows, of which the walk may
 * have seen only the end, are read again from their start.
 */
function valuedDescending(metric: Metric, limit: number, offset: number): number[] {
  const { db, runId, name, count } = metric;
  // The entry at `offset` from the top is in the same value's rows as the one at `count - 1 - offset` from the bottom.
  const start = entryAt(metric, count - 1 - offset);
  if (start === undefined) return [];
  const above =
    offset <= count / 2
      ? Number((db.prepare('SELECT count(*) AS n FROM result_metric_order WHERE run_id = ? AND name = ? AND value > ?').get(runId, name, start.value) as { n: number }).n)
      : count - Number((db.prepare('SELECT count(*) AS n FROM result_metric_order WHERE run_id = ? AND name = ? AND value <= ?').get(runId, name, start.value) as { n: number }).n);
  const ofValue = db.prepare('SELECT image_id AS id FROM result_metric_order WHERE run_id = ? AND name = ? AND value = ? ORDER BY path, image_id LIMIT ? OFFSET ?');
  const head = ids(ofValue.all(runId, name, start.value, limit, offset - above));
  const left = limit - head.length;
  if (left <= 0) return head;
  const rows = db
    .prepare('SELECT value, image_id AS id FROM result_metric_order WHERE run_id = ? AND name = ? AND value < ? ORDER BY value DESC, path DESC, image_id DESC LIMIT ?')
    .all(runId, name, start.value, left) as Array<{ value: unknown; id: number }>;
  return [...head, ...turnedRound(rows, (value, n) => ids(ofValue.all(runId, name, value, n, 0)))];
}

/**
 * Rows walked backwards (value descending, each value's rows in reverse path order) as the page
 * wants them (each value's rows in path order). The last value's rows are the end of its rows in
 * path order: `firstOf(value, count)` reads the first `count` of them instead.
 */
function turnedRound(rows: Array<{ value: unknown; id: number }>, firstOf: (value: unknown, count: number) => number[]): number[] {
  const out: number[] = [];
  let from = 0;
  while (from < rows.length) {
    let to = from;
    while (to < rows.length && rows[to]!.value === rows[from]!.value) to++;
    if (to === rows.length) out.push(...firstOf(rows[from]!.value, to - from));
    else out.push(...ids(rows.slice(from, to).reverse()));
    from = to;
  }
  return out;
}

/**
 * The images without a value for the metric (no result, or none for it), by path: the dataset's
 * images walked in path order, each looked up among the run's results (about 1 µs an image). A page
 * near either end of them is walked from that end; elsewhere the whole list is found once (about
 * 0.1 s for 100,000 images) and kept until the database changes (a commit on this connection or
 * any other), so that paging through the middle costs the page.
 */
function withoutValue(store: ProjectStore, missing: Missing, limit: number, offset: number): number[] {
  const kept = keptMissing(store, missing);
  if (kept.list) return kept.list.slice(offset, offset + limit);
  const n = Math.min(limit, missing.count - offset);
  if (n <= 0) return [];
  const fromEnd = offset > missing.count / 2;
  const skip = fromEnd ? missing.count - offset - n : offset;
  // Images walked to reach the page: those without a value skipped, and those with one between them.
  if (((skip + n) * missing.total) / missing.count > walkBudget) return kept.set(missingSql(store, missing, '', [])).slice(offset, offset + limit);
  const walked = missingSql(store, missing, `${fromEnd ? 'DESC' : 'ASC'} LIMIT ? OFFSET ?`, [n, skip]);
  return fromEnd ? walked.reverse() : walked;
}

/** The images walked, at most, to reach a page of the images without a value (a few milliseconds). */
const walkBudget = 5000;

/** A run's metric, its dataset's number of images and how many of them have no value for it. */
interface Missing {
  datasetId: number;
  runId: number;
  name: string;
  total: number;
  count: number;
}

function missingSql(store: ProjectStore, missing: Missing, order: string, args: unknown[]): number[] {
  return ids(
    store.db
      .prepare(`SELECT i.id FROM images i WHERE i.dataset_id = ? AND NOT EXISTS (SELECT 1 FROM results r WHERE r.run_id = ? AND r.image_id = i.id AND ${hasMetricValueSql}) ORDER BY i.path ${order}`)
      .all(missing.datasetId, missing.runId, `$."${missing.name}"`, ...args),
  );
}

const missingByState = new WeakMap<ProjectStore, { version: string; lists: Map<string, number[]> }>();

/** The kept list of the images without a value, if any, and how to keep one (a few metrics' lists at a time). */
function keptMissing(store: ProjectStore, missing: Missing): { list: number[] | undefined; set: (list: number[]) => number[] } {
  // data_version moves with other connections' commits, total_changes with this one's.
  const mine = Number((store.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n);
  const version = `${String(pragmaValue(store.db, 'data_version'))}:${mine}`;
  let state = missingByState.get(store);
  if (state?.version !== version) {
    state = { version, lists: new Map() };
    missingByState.set(store, state);
  }
  const lists = state.lists;
  const key = `${missing.datasetId}\n${missing.runId}\n${missing.name}`;
  return {
    list: lists.get(key),
    set: (list) => {
      if (lists.size >= 8) lists.delete(lists.keys().next().value!);
      lists.set(key, list);
      return list;
    },
  };
}
