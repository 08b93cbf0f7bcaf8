/**
 * Evaluation metrics on the default model at 224 x 224, CPU, warm: deletion + insertion at 1%
 * steps (202 forward passes), against the same number of plain forward passes of the model in
 * this run; a cascading randomisation (8 randomised models, Grad-CAM); and every per-image
 * metric's forward passes and time with its defaults.
 */
import sharp from 'sharp';
import { createApi } from '../src/shared/contract/api';
import { PortTransport } from '../src/shared/contract/port-transport';
import { localEnginePort } from '../src/main/engine-host/local-engine';
import { OrtTensor } from '../src/main/engine/runtime/onnxruntime';
import { summarize, time } from './stats';

export async function benchMetrics(): Promise<void> {
  const local = localEnginePort({ graphCacheDir: null });
  const api = createApi(new PortTransport(local.port));
  const model = await api.call('models.open', { executionProvider: 'cpu' });
  const png = new Uint8Array(await sharp('resources/samples/coffee.png').resize(224, 224, { fit: 'cover' }).png().toBuffer());
  const input = { kind: 'image' as const, imageId: (await api.call('images.open', { source: 'bytes', name: 'coffee-224.png', data: png })).id };
  const map = await api.call('attribute', { modelId: model.id, input, method: 'grad-cam' });
  const attribution = { dims: map.dims, data: map.data };
  const evaluate = (metric: string, params: Record<string, unknown> = {}) => api.call('evaluate', { modelId: model.id, input, method: 'grad-cam', attribution, metrics: [{ metric, params }] });

  await evaluate('deletion');
  await evaluate('insertion'); // compile and warm
  const both = summarize(await time(async () => api.call('evaluate', { modelId: model.id, input, method: 'grad-cam', attribution, metrics: [{ metric: 'deletion', params: {} }, { metric: 'insertion', params: {} }] }), 5, 1));
  const loaded = local.engine.models.get(model.id);
  const batch = 8;
  const tensor = new OrtTensor('float32', new Float32Array(batch * 3 * 224 * 224).map((_, i) => Math.sin(i)), [batch, 3, 224, 224]);
  const raw = summarize(await time(async () => {
    for (let r = 0; r < Math.ceil(202 / batch); r++) await loaded.session.run({ input: tensor }, ['logits']);
  }, 5, 1));
  console.log(`metrics, default model, CPU, Grad-CAM map of the espresso:`);
  console.log(`  deletion + insertion (1% steps, 202 forward passes): ${both.median.toFixed(0)} ms; 202 plain forward passes in batches of ${batch}: ${raw.median.toFixed(0)} ms; ratio ${(both.median / raw.median).toFixed(2)}`);

  const t0 = performance.now();
  const sanity = (await evaluate('sanity-checks', { steps: 8 })).metrics[0]!;
  console.log(`  cascading randomisation, 8 randomised models: ${(performance.now() - t0).toFixed(0)} ms (final Spearman |.| ${sanity.score.toFixed(3)})`);

  for (const metric of ['faithfulness-correlation', 'faithfulness-estimate', 'sensitivity-n', 'infidelity', 'road', 'axioms', 'sparseness', 'complexity']) {
    await evaluate(metric);
    const r = (await evaluate(metric)).metrics[0]!;
    console.log(`  ${metric}: ${r.forwardPasses} forward passes, ${r.computeMs.toFixed(0)} ms, score ${r.score.toPrecision(4)}`);
  }
  const ms = (await api.call('evaluate', { modelId: model.id, input, method: 'gradient', metrics: [{ metric: 'max-sensitivity', params: { samples: 50 } }] })).metrics[0]!;
  console.log(`  max-sensitivity of the gradient, 50 perturbed copies: ${ms.computeMs.toFixed(0)} ms, score ${ms.score.toPrecision(4)}`);
  await local.close();
}
