import type { Handlers } from '../../../shared/contract/dispatcher';
import { describeMetrics } from '../metrics/describe';
import { groundTruthMask } from '../metrics/ground-truth';
import { runRoar } from '../metrics/roar/roar';
import type { EngineServices } from './engine-services';

type EvaluationHandlers = Pick<Handlers, 'metrics.list' | 'evaluate' | 'roar'>;

/** Measuring explanations on one image (the metrics) and a model's retraining test (ROAR). */
export function evaluationHandlers(engine: EngineServices): EvaluationHandlers {
  return {
    'metrics.list': async () => describeMetrics(),

    evaluate: async (params, { requestId, signal }) => {
      const loaded = engine.models.get(params.modelId);
      const card = loaded.resolved.card;
      const { input } = await engine.modelInput(loaded, params.input);
      // The contract has checked that the attribution's dims match its values.
      const attribution = params.attribution?.data;
      const outcome = await engine.evaluations.evaluate({
        model: loaded,
        input,
        method: params.method,
        target: params.target,
        params: params.params,
        attribution,
        metrics: params.metrics,
        groundTruth: params.groundTruth ? groundTruthMask(params.groundTruth, card.input.height, card.input.width) : undefined,
        signal,
        onProgress: engine.progress(requestId),
      });
      return { ...outcome, executionProvider: loaded.executionProvider };
    },

    roar: async (params, { requestId, signal }) => {
      const { modelId, ...rest } = params;
      return runRoar(engine.attributions, { ...rest, modelId, model: engine.models.get(modelId), signal, onProgress: engine.progress(requestId) });
    },
  };
}
