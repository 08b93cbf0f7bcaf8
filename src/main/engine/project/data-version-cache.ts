import { pragmaValue, type ProjectStore } from './project-store';

/**
 * Figures worked out from a project's data (a dataset's number of images, a run's classes, the
 * images without a result), kept for a connection until the data changes: a commit on this
 * connection or on any other (another window, a shard merge) forgets them all. The dataset browser
 * asks the same ones for every page; at 100,000 images each costs milliseconds, the check 30 µs.
 */
export interface DataVersionCache {
  get<T>(key: string): T | undefined;
  set<T>(key: string, value: T): T;
}

const cacheByStore = new WeakMap<ProjectStore, { version: string; values: Map<string, unknown> }>();

/** The most values kept per connection (the oldest goes first); a list of 100,000 ids is 0.8 MB. */
const capacity = 32;

export function dataVersionCache(store: ProjectStore): DataVersionCache {
  // data_version moves with other connections' commits, total_changes with this one's.
  const mine = Number((store.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n);
  const version = `${String(pragmaValue(store.db, 'data_version'))}:${mine}`;
  let state = cacheByStore.get(store);
  if (state?.version !== version) {
    state = { version, values: new Map() };
    cacheByStore.set(store, state);
  }
  const values = state.values;
  return {
    get: <T>(key: string) => values.get(key) as T | undefined,
    set: <T>(key: string, value: T) => {
      if (values.size >= capacity) values.delete(values.keys().next().value!);
      values.set(key, value);
      return value;
    },
  };
}

/** `compute()` kept under `key` until the data changes. */
export function keptUntilChange<T>(store: ProjectStore, key: string, compute: () => T): T {
  const cache = dataVersionCache(store);
  const kept = cache.get<T>(key);
  return kept !== undefined ? kept : cache.set(key, compute());
}
