import type { Handlers } from '../../../shared/contract/dispatcher';
import { predictions, runClassifier } from '../classify/classify';
import { findings, optionalFindings } from '../classify/multilabel';
import { describeMethods } from '../methods/describe';
import type { EngineServices } from './engine-services';

type AttributionHandlers = Pick<Handlers, 'classify' | 'methods.list' | 'attribute'>;

/** Classifying an image and explaining the prediction. */
export function attributionHandlers(engine: EngineServices): AttributionHandlers {
  return {
    classify: async ({ modelId, imageId, topK }) => {
      const t0 = performance.now();
      const loaded = engine.models.get(modelId);
      const source = engine.images.get(imageId);
      const card = loaded.resolved.card;
      const input = await engine.inputs.get(source, card);
      const t1 = performance.now();
      const [scores] = await runClassifier(loaded.session, card, [input.data]);
      const inferMs = performance.now() - t1;
      return {
        modelId,
        imageId,
        outputKind: card.output.kind,
        classCount: scores!.length,
        predictions: predictions(scores!, card, topK),
        ...optionalFindings(findings(scores!, card)),
        timings: { decodeMs: input.decodeMs, preprocessMs: input.preprocessMs, inferMs, totalMs: performance.now() - t0 },
        executionProvider: loaded.executionProvider,
      };
    },

    'methods.list': async () => describeMethods(),

    attribute: async (params, { requestId, signal, receivedAt }) => {
      const started = performance.now();
      const arrived = receivedAt ?? started;
      engine.attributions.methodFor(params.method);
      const loaded = engine.models.get(params.modelId);
      const { input, preprocessMs } = await engine.modelInput(loaded, params.input);
      const outcome = await engine.attributions.attribute({
        model: loaded,
        input,
        method: params.method,
        target: params.target,
        params: params.params,
        repeat: params.repeat,
        signal,
        onProgress: engine.progress(requestId),
      });
      const { computeMs, computeRunsMs, compileMs, ...rest } = outcome;
      const timings = { computeMs, computeRunsMs, compileMs, preprocessMs, queueMs: started - arrived, engineMs: performance.now() - arrived };
      return { ...rest, timings, executionProvider: loaded.executionProvider };
    },
  };
}
