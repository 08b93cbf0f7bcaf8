import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LumenError } from '../../../shared/errors';

const databaseFile = 'project.db';

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function entries(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/**
 * What in a folder shows that a project lived there: map artifacts, shards, or the database's
 * companions (its write-ahead log, damaged copies). Empty for a folder that never held a project.
 */
export function projectTraces(root: string): string[] {
  const traces: string[] = [];
  const artifacts = entries(join(root, 'artifacts'));
  if (artifacts.length > 0) traces.push(`artifacts/ (${artifacts.length} ${artifacts.length === 1 ? 'entry' : 'entries'})`);
  if (entries(join(root, 'shards')).length > 0) traces.push('shards/');
  // The log's index (-shm) holds no data; an empty log or journal is what a clean close leaves.
  for (const name of entries(root)) {
    if ((name.startsWith(`${databaseFile}-`) || name.startsWith(`${databaseFile}.`)) && name !== `${databaseFile}-shm` && fileSize(join(root, name)) > 0) traces.push(name);
  }
  return traces;
}

/**
 * A missing or empty (zero-byte) project.db next to a project's other files is damage, not a new
 * project: creating an empty database there would orphan every artifact. The error says what is
 * left and what to do; null when the folder is a project, or holds nothing of one.
 */
export function orphanedProjectError(root: string): LumenError | null {
  const path = join(root, databaseFile);
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    size = -1;
  }
  // A zero-byte database with a write-ahead log is SQLite's to recover, not ours to judge.
  if (size > 0 || (size === 0 && fileSize(`${path}-wal`) > 0)) return null;
  const traces = projectTraces(root);
  if (traces.length === 0) return null;
  const state = size === 0 ? 'is empty (0 bytes)' : 'is missing';
  return new LumenError(
    'damaged-project',
    `The project database ${path} ${state}, but the folder still holds the project's ${traces.join(', ')}: the project is damaged, and Lumen did not create a new, empty one over it.`,
    `Restore ${databaseFile} from a backup; to start again, create a new project in another folder and import the dataset there.`,
    { path, traces },
  );
}
