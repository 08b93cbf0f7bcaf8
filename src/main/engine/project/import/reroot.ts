import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LumenError } from '../../../../shared/errors';
import type { ProjectStore } from '../project-store';

/** Points a dataset at the folder its images moved to, after checking they are all there. */
export function rerootDataset(store: ProjectStore, name: string, newRoot: string): { moved: number } {
  const dataset = store.db.prepare('SELECT id FROM datasets WHERE name = ?').get(name) as { id: number } | undefined;
  if (!dataset) throw new LumenError('not-found', `There is no dataset "${name}" in this project.`);
  const root = resolve(newRoot);
  const paths = (store.db.prepare('SELECT path FROM images WHERE dataset_id = ?').all(dataset.id) as Array<{ path: string }>).map((r) => r.path);
  const missing = paths.filter((p) => !existsSync(join(root, p)));
  if (missing.length > 0) {
    throw new LumenError('not-found', `${missing.length} of the ${paths.length} images of "${name}" are not under ${root} (e.g. ${missing[0]}).`, 'Give the folder that holds the moved dataset.');
  }
  store.db.prepare('UPDATE datasets SET root = ? WHERE id = ?').run(root, dataset.id);
  return { moved: paths.length };
}
