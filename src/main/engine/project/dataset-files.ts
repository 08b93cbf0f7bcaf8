import { isAbsolute } from 'node:path';
import { LumenError } from '../../../shared/errors';
import { confine, realPath } from '../paths/confine';
import type { ProjectStore } from './project-store';

export interface DatasetRef {
  id: number;
  name: string;
  root: string;
}

/** A dataset of the project by name; a missing one is an error that lists those there are. */
export function findDataset(store: ProjectStore, name: string): DatasetRef {
  const row = store.db.prepare('SELECT id, name, root FROM datasets WHERE name = ?').get(name) as DatasetRef | undefined;
  if (row) return { ...row, id: Number(row.id) };
  const names = (store.db.prepare('SELECT name FROM datasets ORDER BY name').all() as Array<{ name: string }>).map((d) => d.name);
  throw new LumenError(
    'not-found',
    `There is no dataset "${name}" in ${store.folder}.`,
    names.length > 0 ? `Its datasets: ${names.join(', ')}.` : 'The project has no datasets yet; import a folder of images first.',
    { dataset: name },
  );
}

/**
 * The file of an image given by its path relative to the dataset's root. A path that would leave
 * the root (`..`, an absolute path, a symbolic link pointing out) is refused: the renderer names
 * images, never arbitrary files. The answer is the real path, the one that was checked.
 */
export function fileInDataset(dataset: DatasetRef, path: string): string {
  const file = isAbsolute(path) ? null : confine(dataset.root, path);
  if (file === null || file === realPath(dataset.root)) {
    throw new LumenError('invalid-argument', `The path "${path}" is not inside the dataset "${dataset.name}".`, 'Give the image path relative to the dataset root, as datasets.images lists it.', { path, dataset: dataset.name });
  }
  return file;
}
