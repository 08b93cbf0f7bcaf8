import { closeSync, copyFileSync, existsSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type Database from 'libsql';
import { LumenError } from '../../../shared/errors';

/**
 * SQLite's quick check as one line: its first problem and how many more (the check lists one
 * per damaged page, under a "*** in database main ***" heading); undefined when the file is sound.
 */
export function integrityProblem(db: Database.Database): string | undefined {
  let lines: string[];
  try {
    const rows = db.prepare('PRAGMA quick_check').all() as Array<Record<string, unknown>>;
    lines = rows.flatMap((row) => Object.entries(row).filter(([k]) => k !== '_metadata').map(([, v]) => String(v)));
  } catch (error) {
    lines = [(error as Error).message];
  }
  const problems = lines
    .flatMap((l) => l.split('\n'))
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^\*\*\* in database/.test(l));
  if (problems.length === 1 && problems[0] === 'ok') return undefined;
  if (problems.length === 0) return 'the integrity check failed';
  return problems.length === 1 ? problems[0] : `${problems[0]}, and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''}`;
}

/** SHA-256 of a file, read in chunks (a project database can be large). */
function fileHash(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(1 << 20);
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * A damaged database is never modified: the error says so in one line, with the remedy, and a
 * copy is kept for whoever repairs it. The copy is named by the file's content, so opening the
 * same damaged project again does not copy it again; other damage gets its own copy.
 */
export function checkIntegrity(db: Database.Database, path: string): void {
  const problem = integrityProblem(db);
  if (problem === undefined) return;
  throw damagedProjectError(path, problem);
}

/** The one-line error for a damaged project database (`problem` says what is wrong), with a copy of the file kept. */
export function damagedProjectError(path: string, problem: string): LumenError {
  let saved: string;
  try {
    const copy = `${path}.damaged-${fileHash(path).slice(0, 16)}`;
    if (existsSync(copy)) {
      saved = `a copy was saved earlier as ${copy}`;
    } else {
      copyFileSync(path, copy);
      saved = `a copy was saved as ${copy}`;
    }
  } catch {
    saved = 'no copy could be saved next to it';
  }
  return new LumenError(
    'damaged-project',
    `The project database ${path} is damaged (${problem.replace(/\s+/g, ' ')}). Lumen did not modify it; ${saved}.`,
    'Restore the project from a backup, or create a new project and import the dataset again.',
    { path },
  );
}
