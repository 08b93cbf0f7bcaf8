import { dataVersionCache } from './data-version-cache';
import type { ProjectStore } from './project-store';

/**
 * The images of a dataset a run has no result for that the sort can use (none at all, none with a
 * score, none with a value for a metric), which the dataset browser lists last by path.
 */
export interface ImagesWithout {
  datasetId: number;
  runId: number;
  /** What a result (`r`) of the run must satisfy to count, with its parameters; `1` for any result. */
  condition: string;
  args: unknown[];
  /** Names the condition among a run's kept lists (`score`, `metric:auc`). */
  key: string;
  /** The dataset's number of images, and how many of them lack such a result. */
  total: number;
  count: number;
}

/**
 * A page of those images, by path: the dataset's images walked in path order, each looked up among
 * the run's results (about 1 µs an image). A page near either end of them is walked from that end;
 * elsewhere the whole list is found once (about 0.1 s for 100,000 images) and kept until the
 * database changes (a commit on this connection or any other), so that paging through the middle
 * costs the page.
 */
export function imagesWithout(store: ProjectStore, missing: ImagesWithout, limit: number, offset: number): number[] {
  const cache = dataVersionCache(store);
  const key = `without\n${missing.datasetId}\n${missing.runId}\n${missing.key}`;
  const kept = cache.get<number[]>(key);
  if (kept) return kept.slice(offset, offset + limit);
  const n = Math.min(limit, missing.count - offset);
  if (n <= 0) return [];
  const fromEnd = offset > missing.count / 2;
  const skip = fromEnd ? missing.count - offset - n : offset;
  // Images walked to reach the page: those without a result skipped, and those with one between them.
  if (((skip + n) * missing.total) / missing.count > walkBudget) return cache.set(key, listSql(store, missing, '', [])).slice(offset, offset + limit);
  const walked = listSql(store, missing, `${fromEnd ? 'DESC' : 'ASC'} LIMIT ? OFFSET ?`, [n, skip]);
  return fromEnd ? walked.reverse() : walked;
}

/** The images walked, at most, to reach a page (a few milliseconds). */
const walkBudget = 5000;

function listSql(store: ProjectStore, missing: ImagesWithout, order: string, args: unknown[]): number[] {
  const rows = store.db
    .prepare(`SELECT i.id FROM images i WHERE i.dataset_id = ? AND NOT EXISTS (SELECT 1 FROM results r WHERE r.run_id = ? AND r.image_id = i.id AND ${missing.condition}) ORDER BY i.path ${order}`)
    .all(missing.datasetId, missing.runId, ...missing.args, ...args) as Array<{ id: number }>;
  return rows.map((r) => Number(r.id));
}
