/**
 * Warm end-to-end classification of a 224 x 224 image (decode + preprocess + infer + top-k)
 * through the engine's contract, against the floor measured in the same run: onnxruntime's
 * session.run on an already prepared tensor.
 */
import sharp from 'sharp';
import { createApi } from '../src/shared/contract/api';
import { PortTransport } from '../src/shared/contract/port-transport';
import { localEnginePort } from '../src/main/engine-host/local-engine';
import { OrtTensor } from '../src/main/engine/runtime/onnxruntime';
import { summarize, time } from './stats';

export async function benchClassify(repeats = 50): Promise<void> {
  const local = localEnginePort();
  const api = createApi(new PortTransport(local.port));
  const model = await api.call('models.open', { executionProvider: 'cpu' });
  const png = new Uint8Array(await sharp('resources/samples/coffee.png').resize(224, 224, { fit: 'cover' }).png().toBuffer());
  const image = await api.call('images.open', { source: 'bytes', name: 'coffee-224.png', data: png });

  const breakdown: Array<{ decodeMs: number; preprocessMs: number; inferMs: number; totalMs: number }> = [];
  const endToEnd = await time(async () => {
    const r = await api.call('classify', { modelId: model.id, imageId: image.id, topK: 5 });
    breakdown.push(r.timings);
  }, repeats);

  const loaded = local.engine.models.get(model.id);
  const input = new OrtTensor('float32', new Float32Array(3 * 224 * 224).fill(0.1), [1, 3, 224, 224]);
  const floor = await time(() => loaded.session.run({ input }, ['logits']), repeats);

  const e2e = summarize(endToEnd);
  const run = summarize(floor);
  const part = (key: 'decodeMs' | 'preprocessMs' | 'inferMs'): number => summarize(breakdown.slice(-repeats).map((b) => b[key])).median;
  console.log('classify, 224x224 PNG, default model, CPU, warm (median of %d):', repeats);
  console.log(`  end to end (contract, decode, preprocess, infer, top-k): ${e2e.median.toFixed(2)} ms  [p10 ${e2e.p10.toFixed(2)}, p90 ${e2e.p90.toFixed(2)}]`);
  console.log(`    decode+resize ${part('decodeMs').toFixed(2)} ms, normalise ${part('preprocessMs').toFixed(2)} ms, infer ${part('inferMs').toFixed(2)} ms`);
  console.log(`  baseline: onnxruntime session.run alone: ${run.median.toFixed(2)} ms`);
  console.log(`  ratio end-to-end / session.run: ${(e2e.median / run.median).toFixed(2)}`);
  await local.close();
}
