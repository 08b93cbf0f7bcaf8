/**
 * Segmentation, XRAI and Grad-CAM on the default model at 224 x 224, CPU. Felzenszwalb per scale
 * and for XRAI's six scales at once; XRAI end to end split into its base attribution (IG over
 * constant min and max baselines, PAIR's 100 steps) and its own part (segmentation, dilation,
 * selection; target under 0.5 s); Grad-CAM against a plain forward pass of the model, both
 * measured in this run.
 */
import sharp from 'sharp';
import { createApi } from '../src/shared/contract/api';
import { PortTransport } from '../src/shared/contract/port-transport';
import { localEnginePort } from '../src/main/engine-host/local-engine';
import { OrtTensor } from '../src/main/engine/runtime/onnxruntime';
import { felzenszwalb, felzenszwalbScales } from '../src/main/engine/segmentation/felzenszwalb';
import { summarize, time } from './stats';

const scales = [50, 100, 150, 250, 500, 1200];

export async function benchRegions(): Promise<void> {
  const { data, info } = await sharp('resources/samples/coffee.png').resize(224, 224, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const signed = Float32Array.from(data, (v) => (v / 255) * 2 - 1);
  const image = { data: signed, width: info.width, height: info.height, channels: info.channels };
  console.log('segmentation, 224 x 224 RGB (coffee), sigma 0.8, min size 150:');
  for (const scale of scales) {
    const t = summarize(await time(async () => felzenszwalb(image, { scale, sigma: 0.8, minSize: 150 }), 7));
    console.log(`  felzenszwalb scale ${scale}: ${t.median.toFixed(1)} ms (p10 ${t.p10.toFixed(1)}, p90 ${t.p90.toFixed(1)})`);
  }
  const six = summarize(await time(async () => felzenszwalbScales(image, scales, { sigma: 0.8, minSize: 150 }), 7));
  console.log(`  all six scales sharing smoothing and edge sorting: ${six.median.toFixed(1)} ms`);

  const local = localEnginePort({ graphCacheDir: null });
  const api = createApi(new PortTransport(local.port));
  const model = await api.call('models.open', { executionProvider: 'cpu' });
  const png = new Uint8Array(await sharp('resources/samples/coffee.png').resize(224, 224, { fit: 'cover' }).png().toBuffer());
  const input = { kind: 'image' as const, imageId: (await api.call('images.open', { source: 'bytes', name: 'coffee-224.png', data: png })).id };

  await api.call('attribute', { modelId: model.id, input, method: 'xrai' }); // compile and warm
  const figures: Array<Record<string, number>> = [];
  for (let r = 0; r < 5; r++) figures.push((await api.call('attribute', { modelId: model.id, input, method: 'xrai' })).figures);
  const med = (key: string): number => summarize(figures.map((f) => f[key]!)).median;
  const own = summarize(figures.map((f) => f['segmentationMs']! + f['selectionMs']!)).median;
  console.log(`XRAI (PAIR defaults, full): base IG ${med('baseMs').toFixed(0)} ms, own part ${own.toFixed(0)} ms (segmentation + dilation ${med('segmentationMs').toFixed(0)}, selection ${med('selectionMs').toFixed(0)}), ${med('candidateMasks')} masks -> ${med('regions')} regions; own/base ${(own / med('baseMs')).toFixed(3)}`);
  const fast = (await api.call('attribute', { modelId: model.id, input, method: 'xrai', params: { algorithm: 'fast' }, repeat: 3 })).figures;
  console.log(`  fast variant: selection ${fast['selectionMs']!.toFixed(0)} ms`);

  const loaded = local.engine.models.get(model.id);
  const tensor = new OrtTensor('float32', new Float32Array(3 * 224 * 224).map((_, i) => Math.sin(i)), [1, 3, 224, 224]);
  const forward = summarize(await time(async () => loaded.session.run({ input: tensor }, ['logits']), 15, 5));
  await api.call('attribute', { modelId: model.id, input, method: 'grad-cam' });
  const gradCam = await api.call('attribute', { modelId: model.id, input, method: 'grad-cam', repeat: 15 });
  console.log(`Grad-CAM: ${gradCam.timings.computeMs.toFixed(1)} ms in ${gradCam.graphRuns} onnxruntime run; plain forward ${forward.median.toFixed(1)} ms; ratio ${(gradCam.timings.computeMs / forward.median).toFixed(2)}`);
  await local.close();
}
