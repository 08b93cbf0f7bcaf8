import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'libsql';
import { LumenError } from '../../../shared/errors';
import { migrations } from './migrations';

export const databaseFile = 'project.db';
const lockFile = 'project.lock';

/** A pragma's value (libsql returns rows with a metadata field even for `simple` pragmas). */
export function pragmaValue(db: Database.Database, pragma: string): unknown {
  const row = db.prepare(`PRAGMA ${pragma}`).get() as Record<string, unknown> | undefined;
  return row ? Object.entries(row).find(([k]) => k !== '_metadata')?.[1] : undefined;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One project = one folder: a SQLite database (WAL, foreign keys, migrated to the current schema)
 * and an artifacts folder. A lock file keeps a second process out (it is told who holds the
 * project); a damaged database is never modified: the error says so and where a copy was saved.
 */
export class ProjectStore {
  private constructor(
    readonly folder: string,
    readonly db: Database.Database,
  ) {}

  get artifacts(): string {
    return join(this.folder, 'artifacts');
  }

  static open(folder: string, options: { create?: boolean } = {}): ProjectStore {
    const root = resolve(folder);
    const path = join(root, databaseFile);
    if (!existsSync(path)) {
      if (!options.create) throw new LumenError('not-found', `${root} is not a Lumen project (no ${databaseFile}).`, 'Create it first (lumen project create).');
      mkdirSync(join(root, 'artifacts'), { recursive: true });
    }
    takeLock(root);
    let db: Database.Database | undefined;
    try {
      db = new Database(path);
      checkIntegrity(db, path);
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      migrate(db, path);
      if (openHere.get(root) === 1) markInterrupted(db);
      mkdirSync(join(root, 'artifacts'), { recursive: true });
      return new ProjectStore(root, db);
    } catch (error) {
      db?.close();
      releaseLock(root);
      throw error;
    }
  }

  /** The schema version (number of migrations applied). */
  get schemaVersion(): number {
    return Number(pragmaValue(this.db, 'user_version'));
  }

  close(): void {
    // Fold the write-ahead log into the database file, so that the file alone is the project
    // (copies and backups of project.db are complete).
    pragmaValue(this.db, 'wal_checkpoint(TRUNCATE)');
    this.db.close();
    releaseLock(this.folder);
  }
}

/** Stores this process has open per project: the lock file goes when the last one closes. */
const openHere = new Map<string, number>();

function takeLock(root: string): void {
  const held = openHere.get(root) ?? 0;
  if (held > 0) {
    openHere.set(root, held + 1);
    return;
  }
  const path = join(root, lockFile);
  if (existsSync(path)) {
    const pid = Number(readFileSync(path, 'utf8').trim());
    if (Number.isInteger(pid) && pid !== process.pid && processAlive(pid)) {
      throw new LumenError('busy', `The project ${root} is open in another Lumen process (pid ${pid}).`, 'Close it there first; two processes writing one project could lose results.');
    }
    // A lock left by a process that died: stale, taken over.
  }
  writeFileSync(path, String(process.pid));
  openHere.set(root, 1);
}

function releaseLock(root: string): void {
  const held = openHere.get(root) ?? 0;
  if (held > 1) {
    openHere.set(root, held - 1);
    return;
  }
  openHere.delete(root);
  const path = join(root, lockFile);
  try {
    if (Number(readFileSync(path, 'utf8').trim()) === process.pid) rmSync(path);
  } catch {
    // Already gone.
  }
}

/**
 * Jobs left `running` when this process is the first to open the project ran in a process that
 * stopped (the lock shows no live holder): they are marked paused, to be resumed by running them again.
 */
function markInterrupted(db: Database.Database): void {
  db.prepare("UPDATE jobs SET state = 'paused', error = 'interrupted: the process running it stopped; run it again to resume', updated_at = ? WHERE state = 'running'").run(new Date().toISOString());
}

function checkIntegrity(db: Database.Database, path: string): void {
  let problem: string | undefined;
  try {
    const result = pragmaValue(db, 'quick_check');
    if (result !== 'ok') problem = String(result);
  } catch (error) {
    problem = (error as Error).message;
  }
  if (problem === undefined) return;
  const copy = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  try {
    copyFileSync(path, copy);
  } catch {
    // The error below still stands without a copy.
  }
  throw new LumenError(
    'damaged-project',
    `The project database ${path} is damaged (${problem}). Lumen did not modify it; a copy was saved as ${copy}.`,
    'Restore the project from a backup, or create a new project and import the dataset again.',
  );
}

function migrate(db: Database.Database, path: string): void {
  const version = Number(pragmaValue(db, 'user_version'));
  if (version > migrations.length) {
    throw new LumenError('invalid-argument', `${path} has schema version ${version}, made by a newer Lumen (this one knows ${migrations.length}).`, 'Update Lumen to open this project.');
  }
  if (version === migrations.length) return;
  db.transaction(() => {
    for (let v = version; v < migrations.length; v++) db.exec(migrations[v]!);
    db.pragma(`user_version = ${migrations.length}`);
  })();
}
