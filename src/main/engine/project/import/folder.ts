import { resolve } from 'node:path';
import { listImages } from '../../image/list-images';
import type { ProjectStore } from '../project-store';
import { emptyReport, type ImportReport } from './report';
import { datasetId, upsertImages } from './store-rows';

/** A folder tree: every image under it; its first sub-folder, if any, is its label. */
export async function importFolder(store: ProjectStore, name: string, folder: string): Promise<ImportReport> {
  const root = resolve(folder);
  const report = emptyReport(name);
  const paths = await listImages(root);
  const dataset = datasetId(store, name, root);
  await upsertImages(store, dataset, root, paths.map((path) => ({ path, label: path.includes('/') ? path.split('/')[0]! : null, where: path })), report);
  return report;
}
