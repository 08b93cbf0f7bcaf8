import { statSync } from 'node:fs';
import type Database from 'libsql';
import { damagedProjectError } from './integrity';

/**
 * libsql panics, and takes the whole process down, when a query returns a TEXT value that is not
 * valid UTF-8 (a flipped bit in a damaged project.db is enough; SQLite's own checks do not look at
 * encodings). So before anything reads the project's text, every text value is read as bytes
 * (a BLOB passes libsql untouched) and checked here: damage becomes a damaged-project error.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: ArrayBuffer | Uint8Array | null): boolean {
  if (bytes === null) return true;
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** SQLite's message on one line, without control characters (it may quote damaged names). */
function oneLine(message: string): string {
  return message.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 200);
}

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

type Bytes = ArrayBuffer | Uint8Array | null;

/** The schema's own text: table, index and column names come from it, and SQLite's integrity messages quote them. */
export function checkSchemaEncoding(db: Database.Database, path: string): void {
  let schema: Array<Record<string, Bytes>>;
  try {
    schema = db.prepare('SELECT CAST(type AS BLOB) AS type, CAST(name AS BLOB) AS name, CAST(tbl_name AS BLOB) AS tbl, CAST(sql AS BLOB) AS sql FROM sqlite_master').all() as Array<Record<string, Bytes>>;
  } catch (error) {
    // SQLite parses the schema at the first statement: "malformed database schema" and the like.
    throw damagedProjectError(path, `its schema cannot be read: ${oneLine((error as Error).message)}`);
  }
  for (const row of schema) {
    if (!Object.values(row).every(isUtf8)) throw damagedProjectError(path, 'its schema text is not valid UTF-8');
  }
}

/**
 * The state of a database file and its write-ahead log: the engine opens a project for each
 * request, so a full scan is done again only when the files changed since this process checked.
 */
function fileState(path: string): string {
  const state = (file: string): string => {
    try {
      const { size, mtimeMs } = statSync(file);
      return `${size}:${mtimeMs}`;
    } catch {
      return '-';
    }
  };
  return `${state(path)}|${state(`${path}-wal`)}`;
}

const checkedStates = new Map<string, string>();

/** Every text value of every table (run after the integrity check, on a schema known to be readable). */
export function checkTextEncoding(db: Database.Database, path: string): void {
  const state = fileState(path);
  if (checkedStates.get(path) === state) return;
  scanText(db, path);
  checkedStates.set(path, state);
}

/** Called when this process closes a database it checked: its own writes are valid text. */
export function textStillChecked(path: string): void {
  if (checkedStates.has(path)) checkedStates.set(path, fileState(path));
}

function scanText(db: Database.Database, path: string): void {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>;
  for (const { name } of tables) {
    const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').all(name) as Array<{ name: string }>).map((c) => c.name);
    for (const column of columns) {
      const c = quoted(column);
      const values = db.prepare(`SELECT CAST(${c} AS BLOB) AS v FROM ${quoted(name)} WHERE typeof(${c}) = 'text'`).iterate() as Iterable<{ v: Bytes }>;
      for (const { v } of values) {
        if (!isUtf8(v)) throw damagedProjectError(path, `a text value in ${name}.${column} is not valid UTF-8`);
      }
    }
  }
}
