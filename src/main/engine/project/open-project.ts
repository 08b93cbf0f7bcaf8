import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LumenError } from '../../../shared/errors';
import { diskFullError, isDiskFull } from './disk-full';
import { acquireProject } from './open-project-cache';
import { orphanedProjectError } from './project-folder';
import { databaseFile, ProjectStore } from './project-store';

/**
 * Opens a project folder for the workstation, or creates one there when asked; what is wrong with
 * a folder that is not a project is said in the workstation's terms.
 */
export function openProject(folder: string, options: { create?: boolean } = {}): ProjectStore {
  const root = resolve(folder);
  const create = options.create ?? false;
  if (existsSync(root) && !statSync(root).isDirectory()) {
    throw new LumenError('invalid-argument', `${root} is a file, not a project folder.`, 'Choose the folder that holds project.db, or an empty folder for a new project.', { path: root });
  }
  if (!create && !existsSync(root)) {
    throw new LumenError('not-found', `There is no folder ${root}.`, 'Check the path, or create a new project there.', { path: root });
  }
  // A project whose database is gone or empty is damaged, whether or not a new one was asked for.
  const orphaned = orphanedProjectError(root);
  if (orphaned) throw orphaned;
  if (!create && !existsSync(join(root, databaseFile))) {
    throw new LumenError('not-found', `${root} is not a Lumen project (it has no ${databaseFile}).`, 'Choose the folder that holds project.db, or create a new project in this folder.', { path: root });
  }
  return ProjectStore.open(root, { create });
}

/**
 * Opens a project for one piece of work (also when the work fails, it is let go again). The
 * connection is kept open between requests (open-project-cache.ts): the database is checked at
 * the first open and again only when the file changed outside SQLite. On a read-only project,
 * views work; a change is refused with the reason, not SQLite's words.
 */
export async function withOpenProject<T>(folder: string, work: (store: ProjectStore) => T | Promise<T>): Promise<T> {
  const { store, release } = acquireProject(folder, () => openProject(folder));
  try {
    return await work(store);
  } catch (error) {
    if (isDiskFull(error)) throw diskFullError(store.folder, 'save changes in', error);
    throw store.explainWriteError(error, 'save changes');
  } finally {
    release();
  }
}
