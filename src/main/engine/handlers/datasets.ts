import type { Handlers } from '../../../shared/contract/dispatcher';
import { datasetImages } from '../project/dataset-images';
import { importDicomFolder, importFolder } from '../project/dataset-import';
import { datasetStudies } from '../project/dataset-studies';
import { chooseFolderLayout } from '../project/import/folder-layout';
import { importSummary } from '../project/import-summary';
import { withOpenProject } from '../project/open-project';
import { datasetThumbnails } from '../project/thumbnails';

type DatasetHandlers = Pick<Handlers, 'datasets.import' | 'datasets.images' | 'datasets.studies' | 'datasets.thumbnails'>;

/** Importing images into a project's datasets, and browsing them. */
export function datasetHandlers(): DatasetHandlers {
  return {
    'datasets.import': async ({ project, dataset, folder, layout }) => {
      const chosen = await chooseFolderLayout(folder, layout);
      return importSummary(await withOpenProject(project, (store) => (chosen === 'dicom' ? importDicomFolder(store, dataset, folder) : importFolder(store, dataset, folder))));
    },

    'datasets.images': async (params) => withOpenProject(params.project, (store) => datasetImages(store, params)),

    'datasets.studies': async (params) => withOpenProject(params.project, (store) => datasetStudies(store, params)),

    'datasets.thumbnails': async (params) => withOpenProject(params.project, (store) => datasetThumbnails(store, params)),
  };
}
