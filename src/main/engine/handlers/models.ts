import type { Handlers } from '../../../shared/contract/dispatcher';
import { spatialLayers } from '../attribution/layers';
import { updateModelCard } from '../model/card-update';
import { discardImportedModel, storeImportedModel } from '../model/model-import';
import { modelStatistics, runtimeInputs, signature } from '../onnx/model-details';
import type { EngineServices } from './engine-services';
import { modelSummary } from './summaries';

type ModelHandlers = Pick<Handlers, 'models.open' | 'models.list' | 'models.details' | 'models.layers' | 'models.import' | 'models.updateCard'>;

/** Opening, importing and describing models, and editing their cards. */
export function modelHandlers(engine: EngineServices): ModelHandlers {
  return {
    'models.open': async (params) => {
      const loaded = await engine.openModel(params);
      // In the background: the answer does not wait, and the first explanation finds its graphs ready.
      void engine.precompile(loaded);
      return modelSummary(loaded);
    },

    'models.list': async () => engine.models.list().map(modelSummary),

    'models.details': async ({ modelId }) => {
      const loaded = engine.models.get(modelId);
      const { model } = loaded;
      const stats = modelStatistics(model);
      return {
        id: loaded.id,
        fileName: loaded.fileName,
        sha256: loaded.sha256,
        irVersion: model.irVersion,
        opsets: model.opsets.map((o) => ({ domain: o.domain || 'ai.onnx', version: o.version })),
        producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
        graphName: model.graph.name,
        inputs: runtimeInputs(model).map(signature),
        outputs: model.graph.outputs.map(signature),
        nodeCount: stats.nodeCount,
        operators: stats.operators,
        parameterCount: stats.parameterCount,
        initializerBytes: stats.initializerBytes,
        metadata: Object.fromEntries(model.metadata),
      };
    },

    'models.layers': async ({ modelId }) => spatialLayers(engine.models.get(modelId)),

    'models.import': async ({ name, data, card, executionProvider }) => {
      const stored = await storeImportedModel(name, data);
      try {
        return modelSummary(await engine.openModel({ path: stored.path, card, executionProvider }));
      } catch (error) {
        await discardImportedModel(stored);
        throw error;
      }
    },

    'models.updateCard': async ({ modelId, card }) => {
      const update = await updateModelCard(engine.models, modelId, card);
      if (update.sidecarProblem) engine.emit('notice', { level: 'info', message: `The card was saved in Lumen's home folder only: ${update.sidecarProblem}.` });
      return modelSummary(update.model);
    },
  };
}
