import type { Handlers } from '../../../shared/contract/dispatcher';
import { datasetImages } from '../project/dataset-images';
import { datasetStudies } from '../project/dataset-studies';
import { importDataset } from '../project/import/import-dataset';
import { withOpenProject } from '../project/open-project';
import { notifyProjectChanged } from '../project/project-changes';
import { datasetThumbnails } from '../project/thumbnails';
import type { EngineServices } from './engine-services';

type DatasetHandlers = Pick<Handlers, 'datasets.import' | 'datasets.images' | 'datasets.studies' | 'datasets.thumbnails'>;

/** Importing images into a project's datasets, and browsing them. */
export function datasetHandlers(engine: EngineServices): DatasetHandlers {
  return {
    'datasets.import': async (params) => {
      const report = await importDataset(params);
      if (!params.preview) notifyProjectChanged(engine.emit, { project: params.project, what: 'dataset', dataset: params.dataset });
      return report;
    },

    'datasets.images': async (params) => withOpenProject(params.project, (store) => datasetImages(store, params)),

    'datasets.studies': async (params) => withOpenProject(params.project, (store) => datasetStudies(store, params)),

    'datasets.thumbnails': async (params) => withOpenProject(params.project, (store) => datasetThumbnails(store, params)),
  };
}
