import type { Handlers } from '../../../shared/contract/dispatcher';
import { describeMetrics } from '../metrics/describe';
import { groundTruthMask } from '../metrics/ground-truth';
import { runRoar } from '../metrics/roar/roar';
import { evaluateDatasetJob } from '../project/dataset-evaluation';
import type { EngineServices } from './engine-services';

type EvaluationHandlers = Pick<Handlers, 'metrics.list' | 'evaluate' | 'roar' | 'evaluation.dataset'>;

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

    'evaluation.dataset': async (params, { requestId, signal }) => {
      const model = engine.models.get(params.modelId);
      // A folder evaluated without a project gets one of the engine's own, in its cache folder.
      const { cacheDir } = (await engine.settingsReport()).inUse;
      // Its audit jobs queue with the audits on the same execution provider.
      return engine.queueAudit(model.executionProvider.used, () =>
        evaluateDatasetJob(
          { attributions: engine.attributions, evaluations: engine.evaluations, jobs: engine.jobs, workFolder: cacheDir },
          // Every image is reported, with its name: a terminal shows each line.
          { ...params, model, signal, onProgress: (done, total, jobId, message) => engine.emit('progress', { requestId, done, total, message, ...(jobId !== undefined ? { jobId } : {}) }) },
        ),
      );
    },
  };
}
