import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'libsql';
import { LumenError } from '../../../shared/errors';
import { diskFullError, isDiskFull } from './disk-full';
import { checkIntegrity } from './integrity';
import { migrations } from './migrations';
import { orphanedProjectError } from './project-folder';
import { checkSchemaText } from './schema-check';
import { checkSchemaEncoding, checkTextEncoding, textStillChecked } from './text-check';
import { inTransaction } from './transaction';

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

/** Errors that mean "this place cannot be written": a read-only drive, or a folder without write permission. */
function isReadOnlyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_READONLY';
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch (error) {
    if (isReadOnlyError(error)) return false;
    throw error;
  }
}

/**
 * One project = one folder: a SQLite database (WAL, foreign keys, migrated to the current schema)
 * and an artifacts folder. A lock file keeps a second process out (it is told who holds the
 * project); a damaged database is never modified: the error says so and where a copy was saved.
 * A project on a read-only drive or folder opens read-only (no lock, no migration): it can be
 * viewed, and anything that would change it says why it cannot.
 */
export class ProjectStore {
  /** Whether this store holds the project's lock now (a kept store lets it go between requests). */
  private lockHeld: boolean;

  private constructor(
    readonly folder: string,
    readonly db: Database.Database,
    readonly readOnly: boolean,
  ) {
    this.lockHeld = !readOnly;
  }

  get artifacts(): string {
    return join(this.folder, 'artifacts');
  }

  static open(folder: string, options: { create?: boolean } = {}): ProjectStore {
    const root = resolve(folder);
    const path = join(root, databaseFile);
    const orphaned = orphanedProjectError(root);
    if (orphaned) throw orphaned;
    const exists = existsSync(path);
    if (!exists) {
      if (!options.create) {
        throw new LumenError('not-found', `${root} is not a Lumen project (no ${databaseFile}).`, `Check the path; to make a new project there, import a dataset with lumen import --project ${root} --create --dataset NAME --folder DIR.`, { path: root });
      }
      if (existsSync(root) && !writable(root)) {
        throw new LumenError('invalid-argument', `A project cannot be created in ${root}: the folder is read-only (on a read-only drive or folder).`, 'Choose a folder you can write to.', { path: root });
      }
      mkdirSync(join(root, 'artifacts'), { recursive: true });
    }
    // Read-only when the drive or folder says so: no lock file, no migration, no writes.
    let readOnly = exists && (!writable(root) || !writable(path));
    if (!readOnly && !takeLock(root)) {
      if (!exists) throw new LumenError('invalid-argument', `A project cannot be created in ${root}: the folder is read-only (on a read-only drive or folder).`, 'Choose a folder you can write to.', { path: root });
      readOnly = true;
    }
    let db: Database.Database | undefined;
    try {
      db = readOnly ? openReadOnly(path) : new Database(path);
      checkSchemaEncoding(db, path); // before anything quotes the schema's names
      checkIntegrity(db, path);
      checkTextEncoding(db, path);
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      if (readOnly) {
        refuseWrites(db, () => readOnlyError(root, 'save changes'));
        checkSchema(db, path, { canMigrate: false });
        return new ProjectStore(root, db, true);
      }
      db.pragma('journal_mode = WAL');
      checkSchema(db, path, { canMigrate: true });
      if (openHere.get(root) === 1) markInterrupted(db);
      mkdirSync(join(root, 'artifacts'), { recursive: true });
      return new ProjectStore(root, db, false);
    } catch (error) {
      db?.close();
      if (!readOnly) releaseLock(root);
      throw isDiskFull(error) ? diskFullError(root, 'open the project', error) : error;
    }
  }

  /** The schema version (number of migrations applied). */
  get schemaVersion(): number {
    return Number(pragmaValue(this.db, 'user_version'));
  }

  /** The error for a change to a read-only project: `what` is what could not be done ("save the annotation"). */
  readOnlyError(what: string): LumenError {
    return readOnlyError(this.folder, what);
  }

  /** Throws the read-only error before work that would change the project. */
  assertWritable(what: string): void {
    if (this.readOnly) throw this.readOnlyError(what);
  }

  /** A write that SQLite or the file system refused on a read-only project, in the user's terms; other errors unchanged. */
  explainWriteError(error: unknown, what: string): unknown {
    return this.readOnly && isReadOnlyError(error) ? this.readOnlyError(what) : error;
  }

  close(): void {
    if (this.lockHeld) this.foldLog();
    this.db.close();
    // What this process wrote is valid text: the next open need not scan it again.
    textStillChecked(join(this.folder, databaseFile));
    if (this.lockHeld) releaseLock(this.folder);
    this.lockHeld = false;
  }

  /**
   * Lets go of the project between two requests while keeping the connection open (the engine's
   * open-project cache): the log is folded in and the lock released, so that another process (a
   * CLI merge or import) may change the project meanwhile. `resume` takes it back.
   */
  suspend(): void {
    if (!this.lockHeld) return;
    // Only when this store wrote: an empty log needs no checkpoint (which would wait for readers).
    if (fileSize(`${join(this.folder, databaseFile)}-wal`) > 0) this.foldLog();
    textStillChecked(join(this.folder, databaseFile));
    releaseLock(this.folder);
    this.lockHeld = false;
  }

  /**
   * Takes the lock back for the next request on a kept connection (busy when another process holds
   * it; jobs left running by a process that stopped are marked paused, as at open). False when the
   * folder no longer takes a lock file (it became read-only): the store must be opened again.
   */
  resume(): boolean {
    if (this.readOnly || this.lockHeld) return true;
    if (!takeLock(this.folder)) return false;
    this.lockHeld = true;
    if (openHere.get(this.folder) === 1) markInterrupted(this.db);
    return true;
  }

  /** Folds the write-ahead log into the database file, so that the file alone is the project (copies and backups of project.db are complete). */
  private foldLog(): void {
    try {
      pragmaValue(this.db, 'wal_checkpoint(TRUNCATE)');
    } catch {
      // A full disk: the log keeps every committed change and the next open folds it in.
    }
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function readOnlyError(folder: string, what: string): LumenError {
  return new LumenError('invalid-argument', `Lumen cannot ${what} in ${folder}: this project is read-only (on a read-only drive or folder).`, 'Copy the project folder to a disk you can write to and open the copy, or make the folder writable.', { path: folder });
}

/**
 * On a read-only project, SQLite's refusal of a write ("attempt to write a readonly database")
 * becomes the read-only error, wherever the write comes from (an import, an annotation, a job).
 */
function refuseWrites(db: Database.Database, refusal: () => LumenError): void {
  const translate = (error: unknown): unknown => (isReadOnlyError(error) ? refusal() : error);
  const prepare = db.prepare.bind(db) as (source: string) => { run: (...params: unknown[]) => unknown };
  const exec = db.exec.bind(db);
  Object.assign(db, {
    prepare(source: string) {
      const statement = prepare(source);
      const run = statement.run.bind(statement);
      statement.run = (...params: unknown[]) => {
        try {
          return run(...params);
        } catch (error) {
          throw translate(error);
        }
      };
      return statement;
    },
    exec(source: string) {
      try {
        return exec(source);
      } catch (error) {
        throw translate(error);
      }
    },
  });
}

/**
 * A database on a read-only drive or folder. SQLite's read-only mode still wants to create the
 * write-ahead log's index next to it; where even that is impossible, the file is opened as
 * immutable (nothing can change it there anyway).
 */
function openReadOnly(path: string): Database.Database {
  const url = pathToFileURL(path).href;
  const immutable = (): Database.Database => new Database(`${url}?immutable=1`);
  const cannotOpen = (error: unknown): boolean => (error as { code?: unknown }).code === 'SQLITE_CANTOPEN';
  let db: Database.Database;
  try {
    db = new Database(`${url}?mode=ro`);
  } catch (error) {
    if (cannotOpen(error)) return immutable();
    throw error;
  }
  try {
    // SQLite opens lazily: the first read is where a log index that cannot be made shows.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    if (cannotOpen(error)) {
      db.close();
      return immutable();
    }
    // Other failures (a damaged file) are for the integrity check to describe.
  }
  return db;
}

/** Stores this process has open per project: the lock file goes when the last one closes. */
const openHere = new Map<string, number>();

/** Takes the project's lock; false when the folder refuses the lock file (read-only). */
function takeLock(root: string): boolean {
  const held = openHere.get(root) ?? 0;
  if (held > 0) {
    openHere.set(root, held + 1);
    return true;
  }
  const path = join(root, lockFile);
  if (existsSync(path)) {
    const pid = Number(readFileSync(path, 'utf8').trim());
    if (Number.isInteger(pid) && pid !== process.pid && processAlive(pid)) {
      throw new LumenError('busy', `The project ${root} is open in another Lumen process (pid ${pid}).`, 'Close it there first; two processes writing one project could lose results.');
    }
    // A lock left by a process that died: stale, taken over.
  }
  try {
    writeFileSync(path, String(process.pid));
  } catch (error) {
    if (isReadOnlyError(error)) return false;
    if (isDiskFull(error)) {
      // The file was created before the write failed: an empty lock must not be left behind.
      rmSync(path, { force: true });
      throw diskFullError(root, 'open the project', error);
    }
    throw error;
  }
  openHere.set(root, 1);
  return true;
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

/** Brings the schema up to date (one transaction); a newer schema, or an old one on a read-only disk, is refused. */
function checkSchema(db: Database.Database, path: string, options: { canMigrate: boolean }): void {
  const version = Number(pragmaValue(db, 'user_version'));
  if (version > migrations.length) {
    throw new LumenError('invalid-argument', `${path} has schema version ${version}, made by a newer Lumen (this one knows ${migrations.length}).`, 'Update Lumen to open this project.');
  }
  if (version === migrations.length) return checkSchemaText(db, path);
  if (!options.canMigrate) {
    throw new LumenError('invalid-argument', `${path} was made by an older Lumen and must be upgraded, but this project is read-only (on a read-only drive or folder).`, 'Copy the project folder to a disk you can write to and open the copy.', { path });
  }
  inTransaction(db, () => {
    for (let v = version; v < migrations.length; v++) db.exec(migrations[v]!);
    db.pragma(`user_version = ${migrations.length}`);
  });
  checkSchemaText(db, path);
}
