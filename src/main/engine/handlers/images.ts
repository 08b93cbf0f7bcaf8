import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Handlers } from '../../../shared/contract/dispatcher';
import { LumenError } from '../../../shared/errors';
import { imageValues } from '../image/medical/image-values';
import { makePreview } from '../image/preview';
import { readImageFile } from '../image/read-image-file';
import { fileInDataset, findDataset } from '../project/dataset-files';
import { withOpenProject } from '../project/open-project';
import { loadSamples, samplePath } from '../resources';
import type { EngineServices } from './engine-services';
import { imageSummary } from './summaries';

type ImageHandlers = Pick<Handlers, 'samples.list' | 'images.open' | 'images.values'>;

/** The bundled samples, and opening images from a sample, a file, a project or bytes. */
export function imageHandlers(engine: EngineServices): ImageHandlers {
  return {
    'samples.list': async () => loadSamples(),

    'images.open': async (params) => {
      let data: Uint8Array;
      let name: string;
      switch (params.source) {
        case 'sample': {
          const sample = (await loadSamples()).find((s) => s.id === params.sampleId);
          if (!sample) throw new LumenError('not-found', `There is no sample "${params.sampleId}".`, 'List the samples with samples.list.');
          data = new Uint8Array(await readFile(samplePath(sample)));
          name = sample.fileName;
          break;
        }
        case 'file':
          ({ data, name } = await readImageFile(params.path));
          break;
        case 'project': {
          const file = await withOpenProject(params.project, (store) => fileInDataset(findDataset(store, params.dataset), params.path));
          ({ data, name } = await readImageFile(file));
          break;
        }
        case 'bytes':
          data = params.data;
          name = basename(params.name);
          break;
      }
      const { id, source } = await engine.images.add(data, name, params.frame);
      return imageSummary(id, source, await makePreview(source));
    },

    'images.values': async ({ imageId, frame }) => imageValues(engine.images.get(imageId), frame),
  };
}
