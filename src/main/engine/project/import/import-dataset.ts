import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ImportParams, ImportReport } from '../../../../shared/contract/dataset-import';
import { LumenError } from '../../../../shared/errors';
import { openProject, withOpenProject } from '../open-project';
import { orphanedProjectError } from '../project-folder';
import { databaseFile, type ProjectStore } from '../project-store';
import { importCoco } from './coco';
import { importCsv } from './csv';
import { importDicomFolder } from './dicom-folder';
import { importDicomdir } from './dicomdir';
import { importFolder } from './folder';
import { chooseFolderLayout } from './folder-layout';
import { checkImportSources } from './import-sources';
import { importLabels } from './labels';
import { importMasks } from './masks';
import { asPreview } from './preview';
import { emptyReport } from './report';
import { rerootDataset } from './reroot';
import { importVoc } from './voc';

/**
 * `datasets.import`: one import in any format, into a project (created first if asked), or its
 * preview. The sources are checked before the project is touched; a preview changes nothing.
 */
export async function importDataset(params: ImportParams): Promise<ImportReport> {
  checkImportSources(params);
  // A preview never creates a project: previewing into a folder that is not one says so.
  if (params.create && !params.preview) openProject(params.project, { create: true }).close();
  else assertProject(params.project);
  return withOpenProject(params.project, (store) => (params.preview ? asPreview(store, (scratch) => importInto(scratch, params)) : importInto(store, params)));
}

/**
 * A folder that is there but holds no project: an import is where a project is often made, so the
 * hint says how from either door (the app's Start screen, or the CLI's --create).
 */
function assertProject(folder: string): void {
  const root = resolve(folder);
  if (!existsSync(root) || !statSync(root).isDirectory() || existsSync(join(root, databaseFile)) || orphanedProjectError(root) !== null) return;
  throw new LumenError(
    'not-found',
    `${root} is not a Lumen project (it has no ${databaseFile}).`,
    `Choose the folder that holds ${databaseFile}, or create the project there first: Start → Create in the app, or lumen import --project ${root} --create --dataset NAME --folder DIR.`,
    { path: root },
  );
}

async function importInto(store: ProjectStore, p: ImportParams): Promise<ImportReport> {
  switch (p.format) {
    case 'folder':
      return (await chooseFolderLayout(p.folder, p.layout)) === 'dicom' ? importDicomFolder(store, p.dataset, p.folder) : importFolder(store, p.dataset, p.folder);
    case 'csv':
      return importCsv(store, p.dataset, p.csv, p.root);
    case 'coco':
      return importCoco(store, p.dataset, p.coco, p.root, p.boxes);
    case 'voc':
      return importVoc(store, p.dataset, p.voc, p.root, p.boxes);
    case 'masks':
      return importMasks(store, p.dataset, p.masks, p.label);
    case 'dicomdir':
      return importDicomdir(store, p.dataset, p.dicomdir);
    case 'labels':
      return importLabels(store, p.dataset, p.labels, p.key);
    case 'reroot':
      return { ...emptyReport(p.dataset), moved: rerootDataset(store, p.dataset, p.reroot).moved };
    default:
      throw new LumenError('internal', `Unknown import format ${(p as { format: string }).format}.`);
  }
}
