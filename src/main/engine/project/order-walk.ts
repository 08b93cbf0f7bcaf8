import type { ProjectStore } from './project-store';

/**
 * Rows of an order table whose index is (…, value, path, image_id): the rows `where` selects (with
 * `args`), `count` of them, none with a null value. A metric's rows in `result_metric_order`, or a
 * run's scored results in `result_order`.
 */
export interface OrderedRows {
  db: ProjectStore['db'];
  table: string;
  /** The column the rows are sorted by (ties by path, then image). */
  value: string;
  where: string;
  args: unknown[];
  count: number;
}

const ids = (rows: unknown[]): number[] => (rows as Array<{ id: number }>).map((r) => Number(r.id));

/**
 * The image ids of the rows from `offset` (at most `limit`), by value in `direction`, each value's
 * rows in path order whichever the direction (the dataset browser's order). A page costs its own
 * rows and a walk of the index entries before it or after it, whichever end is nearer; never a
 * sort, also where many rows share a value.
 */
export function walkOrdered(rows: OrderedRows, direction: 'ASC' | 'DESC', limit: number, offset: number): number[] {
  return direction === 'ASC' ? ascending(rows, limit, offset) : descending(rows, limit, offset);
}

/** One entry of the index. */
interface Entry {
  value: unknown;
  path: string;
  id: number;
}

/** The index entry at `offset` in ascending order (walked from whichever end is nearer). */
function entryAt(rows: OrderedRows, offset: number): Entry | undefined {
  const fromEnd = offset > rows.count / 2;
  const order = fromEnd ? 'DESC' : 'ASC';
  return rows.db
    .prepare(`SELECT ${rows.value} AS value, path, image_id AS id FROM ${rows.table} WHERE ${rows.where} ORDER BY ${rows.value} ${order}, path ${order}, image_id ${order} LIMIT 1 OFFSET ?`)
    .get(...rows.args, fromEnd ? rows.count - 1 - offset : offset) as Entry | undefined;
}

/** Ascending: one walk of the index from the page's first entry. */
function ascending(rows: OrderedRows, limit: number, offset: number): number[] {
  const start = entryAt(rows, offset);
  if (start === undefined) return [];
  return ids(
    rows.db
      .prepare(`SELECT image_id AS id FROM ${rows.table} WHERE ${rows.where} AND (${rows.value}, path, image_id) >= (?, ?, ?) ORDER BY ${rows.value}, path, image_id LIMIT ?`)
      .all(...rows.args, start.value, start.path, start.id, limit),
  );
}

/**
 * Descending (each value's rows still in path order): the value at the page's start, the page's
 * place among its rows (from the count of larger values, or of the others, whichever is fewer), its
 * rows from there, then the rows after it: the index walked backwards gives each value's rows in
 * reverse path order, so they are turned round, and the last value's rows, of which the walk may
 * have seen only the end, are read again from their start.
 */
function descending(rows: OrderedRows, limit: number, offset: number): number[] {
  const { db, table, value, where, args, count } = rows;
  // The entry at `offset` from the top is in the same value's rows as the one at `count - 1 - offset` from the bottom.
  const start = entryAt(rows, count - 1 - offset);
  if (start === undefined) return [];
  const countWhere = (condition: string): number => Number((db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where} AND ${condition}`).get(...args, start.value) as { n: number }).n);
  const above = offset <= count / 2 ? countWhere(`${value} > ?`) : count - countWhere(`${value} <= ?`);
  const ofValue = db.prepare(`SELECT image_id AS id FROM ${table} WHERE ${where} AND ${value} = ? ORDER BY path, image_id LIMIT ? OFFSET ?`);
  const head = ids(ofValue.all(...args, start.value, limit, offset - above));
  const left = limit - head.length;
  if (left <= 0) return head;
  const after = db
    .prepare(`SELECT ${value} AS value, image_id AS id FROM ${table} WHERE ${where} AND ${value} < ? ORDER BY ${value} DESC, path DESC, image_id DESC LIMIT ?`)
    .all(...args, start.value, left) as Array<{ value: unknown; id: number }>;
  return [...head, ...turnedRound(after, (v, n) => ids(ofValue.all(...args, v, n, 0)))];
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
 * The image ids of the rows `where` selects (`count` of them, one value: a class's results) in path
 * order, from `offset` (at most `limit`): walked from whichever end is nearer.
 */
export function walkByPath(rows: Omit<OrderedRows, 'value'>, limit: number, offset: number): number[] {
  const n = Math.min(limit, rows.count - offset);
  if (n <= 0) return [];
  const fromEnd = offset > rows.count / 2;
  const order = fromEnd ? 'DESC' : 'ASC';
  const walked = ids(rows.db.prepare(`SELECT image_id AS id FROM ${rows.table} WHERE ${rows.where} ORDER BY path ${order}, image_id ${order} LIMIT ? OFFSET ?`).all(...rows.args, n, fromEnd ? rows.count - offset - n : offset));
  return fromEnd ? walked.reverse() : walked;
}
