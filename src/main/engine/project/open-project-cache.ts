import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pragmaValue, databaseFile, type ProjectStore } from './project-store';

/**
 * Projects the engine keeps open between requests. Opening a project checks the whole database
 * (about 25 ms at 50,000 images), so a kept connection is reused as long as nothing but SQLite
 * changed the file: between requests the store lets go of the lock (another process may merge or
 * import meanwhile, and SQLite shows this connection its commits), and before reuse the file is
 * compared with what it was when the last request ended. A file that was deleted, replaced or
 * written by anything other than SQLite (its size or times changed while SQLite saw no commit) is
 * opened afresh, with the integrity check.
 */

/** How long a project stays open without a request. */
const idleCloseMs = 60_000;
/** At most this many projects are kept open; the least recently used idle one is closed first. */
const maxKept = 8;

/** What a database file looked like when the last request on it ended. */
interface FileState {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

interface Kept {
  store: ProjectStore;
  /** Requests using the store now: the lock is held while there is at least one. */
  users: number;
  file: FileState | null;
  dataVersion: unknown;
  idle: ReturnType<typeof setTimeout> | null;
  /** Closed as soon as its last request ends (asked to close while in use). */
  closing: boolean;
}

const kept = new Map<string, Kept>();
let exitHooked = false;

function fileState(path: string): FileState | null {
  try {
    const s = statSync(path);
    return { dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs };
  } catch {
    return null;
  }
}

const sameFile = (a: FileState, b: FileState): boolean => a.dev === b.dev && a.ino === b.ino;
const unchanged = (a: FileState, b: FileState): boolean => sameFile(a, b) && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;

/**
 * Whether a kept store may serve the next request: the same file, and every change since the
 * last request made through SQLite (its data version moved: SQLite has already dropped what it
 * cached). A change SQLite did not see (a copy over the file, a chmod, damage) is not trusted.
 */
function stillValid(entry: Kept): boolean {
  const now = fileState(join(entry.store.folder, databaseFile));
  if (now === null || entry.file === null || !sameFile(now, entry.file)) return false;
  if (unchanged(now, entry.file)) return true;
  try {
    return pragmaValue(entry.store.db, 'data_version') !== entry.dataVersion;
  } catch {
    return false;
  }
}

function closeQuietly(entry: Kept): void {
  if (entry.idle) clearTimeout(entry.idle);
  entry.idle = null;
  try {
    entry.store.close();
  } catch {
    // A file deleted underneath: nothing left to fold in.
  }
}

function forget(root: string, entry: Kept): void {
  if (kept.get(root) === entry) kept.delete(root);
  closeQuietly(entry);
}

/** Closes the least recently used idle stores beyond the limit (Map order is use order). */
function trim(): void {
  for (const [root, entry] of kept) {
    if (kept.size <= maxKept) return;
    if (entry.users === 0) forget(root, entry);
  }
}

/**
 * A store for one request on `folder`: the kept one when still valid (its lock taken again), or
 * one from `open` (which checks the database). Every `acquire` is paired with one `release`.
 */
export function acquireProject(folder: string, open: () => ProjectStore): { store: ProjectStore; release: () => void } {
  hookExit();
  const root = resolve(folder);
  let entry = kept.get(root);
  if (entry && entry.users === 0 && !entry.closing) {
    if (entry.idle) clearTimeout(entry.idle);
    entry.idle = null;
    if (!stillValid(entry)) {
      forget(root, entry);
      entry = undefined;
    } else {
      let resumed: boolean;
      try {
        resumed = entry.store.resume();
      } catch (error) {
        // Busy in another process: the connection stays kept for a later request.
        scheduleIdleClose(root, entry);
        throw error;
      }
      if (!resumed) {
        forget(root, entry);
        entry = undefined;
      }
    }
  } else if (entry?.closing) {
    entry = undefined;
  }
  if (!entry) {
    entry = { store: open(), users: 0, file: null, dataVersion: undefined, idle: null, closing: false };
    // A store still in use that was asked to close keeps serving its own requests, and closes with the last.
    kept.set(root, entry);
  }
  entry.users++;
  // Most recently used last, for `trim`.
  if (kept.get(root) === entry) {
    kept.delete(root);
    kept.set(root, entry);
  }
  trim();
  const current = entry;
  let released = false;
  return {
    store: current.store,
    release: () => {
      if (released) return;
      released = true;
      releaseProject(root, current);
    },
  };
}

function releaseProject(root: string, entry: Kept): void {
  entry.users--;
  if (entry.users > 0) return;
  if (entry.closing || kept.get(root) !== entry) return forget(root, entry);
  try {
    entry.store.suspend();
    entry.dataVersion = pragmaValue(entry.store.db, 'data_version');
    entry.file = fileState(join(entry.store.folder, databaseFile));
  } catch {
    forget(root, entry);
    return;
  }
  scheduleIdleClose(root, entry);
  trim();
}

function scheduleIdleClose(root: string, entry: Kept): void {
  if (entry.idle) clearTimeout(entry.idle);
  entry.idle = setTimeout(() => {
    entry.idle = null;
    if (entry.users === 0) forget(root, entry);
  }, idleCloseMs);
  // A kept project never keeps a CLI process alive.
  entry.idle.unref();
}

/** Closes one kept project (now, or when its running requests end): after this the next request opens it afresh. */
export function closeKeptProject(folder: string): void {
  const root = resolve(folder);
  const entry = kept.get(root);
  if (!entry) return;
  if (entry.users === 0) forget(root, entry);
  else entry.closing = true;
}

/** Closes every kept project (engine shutdown, process exit); those in use close when their requests end. */
export function closeKeptProjects(): void {
  for (const root of [...kept.keys()]) closeKeptProject(root);
}

/** The folders of the projects kept open now (for tests and diagnostics). */
export function keptProjects(): string[] {
  return [...kept.keys()];
}

/** At exit the kept connections are closed, so that the log is folded in and no -wal/-shm files are left. */
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', closeKeptProjects);
}
