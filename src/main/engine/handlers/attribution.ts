import type { Handlers, RequestContext } from '../../../shared/contract/dispatcher';
import type { Params, Result } from '../../../shared/contract/requests';
import { predictions, runClassifier } from '../classify/classify';
import { findings, optionalFindings } from '../classify/multilabel';
import { describeMethods } from '../methods/describe';
import type { EngineServices } from './engine-services';

type AttributionHandlers = Pick<Handlers, 'classify' | 'methods.list' | 'attribute'>;

/** Classifying an image and explaining the prediction: requests a person waits on, so background work gives way to them. */
export function attributionHandlers(engine: EngineServices): AttributionHandlers {
  return {
    classify: (params) => engine.foreground.track(() => classify(engine, params)),
    'methods.list': async () => describeMethods(),
    attribute: (params, context) => engine.foreground.track(() => attribute(engine, params, context)),
  };
}

async function classify(engine: EngineServices, { modelId, imageId, topK }: Params<'classify'>): Promise<Result<'classify'>> {
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
}

async function attribute(engine: EngineServices, params: Params<'attribute'>, { requestId, signal, receivedAt }: RequestContext): Promise<Result<'attribute'>> {
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
  const timings = { computeMs, computeRunsMs, compileMs, preprocessMs, queueMs: started - arrived, engineMs: performance.now() - arrived, arrivedAtMs: performance.timeOrigin + arrived };
  return { ...rest, timings, executionProvider: loaded.executionProvider };
}
