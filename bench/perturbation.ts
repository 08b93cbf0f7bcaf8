/**
 * Perturbation throughput on the default model: images per second of perturbed forward passes
 * (RISE, occlusion, LIME with 1000 samples and KernelSHAP with 2048, masks made and composited,
 * segmentation and regression included) against raw onnxruntime batch throughput of the
 * same model at the same batch size, measured in the same run.
 */
import sharp from 'sharp';
import { createApi } from '../src/shared/contract/api';
import { PortTransport } from '../src/shared/contract/port-transport';
import { localEnginePort } from '../src/main/engine-host/local-engine';
import { gradientRuleSet } from '../src/main/engine/autodiff/rule-set';
import { OrtTensor } from '../src/main/engine/runtime/onnxruntime';
import { summarize, time } from './stats';

export async function benchPerturbation(): Promise<void> {
  const local = localEnginePort({ graphCacheDir: null });
  const api = createApi(new PortTransport(local.port));
  const model = await api.call('models.open', { executionProvider: 'cpu' });
  const png = new Uint8Array(await sharp('resources/samples/cat_chelsea.png').resize(224, 224, { fit: 'cover' }).png().toBuffer());
  const image = await api.call('images.open', { source: 'bytes', name: 'cat-224.png', data: png });
  const input = { kind: 'image' as const, imageId: image.id };

  const loaded = local.engine.models.get(model.id);
  const { graph } = await local.engine.attributions.graphFor(loaded, gradientRuleSet, 'probability', { masked: true });
  const batch = graph.rowsPerRun;
  const tensor = new OrtTensor('float32', new Float32Array(batch * 3 * 224 * 224).map((_, i) => Math.sin(i)), [batch, 3, 224, 224]);
  // Raw throughput over as many images as the method runs.
  const rawRate = async (images: number): Promise<number> => {
    const runs = Math.ceil(images / batch);
    const t = summarize(await time(async () => {
      for (let r = 0; r < runs; r++) await loaded.session.run({ input: tensor }, ['logits']);
    }, 1, 0));
    return (runs * batch * 1000) / t.median;
  };

  console.log(`perturbation throughput, default model, CPU, batch ${batch}:`);
  for (const [method, params] of [
    ['rise', { masks: 2000 }],
    ['occlusion', { window: 16, stride: 8 }],
    ['lime', { samples: 1000 }],
    ['kernel-shap', { samples: 2048 }],
  ] as const) {
    await api.call('attribute', { modelId: model.id, input, method, params }); // warm
    // Raw throughput drifts by several percent over a minute on a shared 2-core machine, so the
    // method and raw onnxruntime are measured in alternation and the median of the pairs reported.
    const pairs: Array<{ rate: number; raw: number; ms: number; passes: number }> = [];
    for (let k = 0; k < 3; k++) {
      const r = await api.call('attribute', { modelId: model.id, input, method, params });
      const passes = r.figures['forwardPasses']!;
      const raw = await rawRate(passes);
      pairs.push({ rate: (passes * 1000) / r.timings.computeMs, raw, ms: r.timings.computeMs, passes });
    }
    const overheads = pairs.map((p) => (p.raw / p.rate - 1) * 100).sort((a, b) => a - b);
    const ms = summarize(pairs.map((p) => p.ms)).median;
    const passes = pairs[0]!.passes;
    console.log(
      `  ${method}: ${passes} passes in ${ms.toFixed(0)} ms = ${((passes * 1000) / ms).toFixed(0)} images/s; raw onnxruntime ${summarize(pairs.map((p) => p.raw)).median.toFixed(0)} images/s; overhead ${overheads[1]!.toFixed(1)}% (pairs: ${overheads.map((o) => o.toFixed(1)).join(', ')})`,
    );
  }
  await local.close();
}
