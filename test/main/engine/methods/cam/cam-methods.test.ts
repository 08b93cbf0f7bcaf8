import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../../src/shared/contract/api';
import { testApi, useBundledModel } from '../../../../helpers/engine';
import { floatTensor, graphModel } from '../../../../helpers/compiled-runner';
import { openTestModel } from '../../../../helpers/image-models';
import type { Model } from '../../../../../src/main/engine/onnx/ir';

/**
 * A = conv1x1(x) with 2 channels (A_c = w_c x), scores = (mean over space of A) D. Everything is
 * linear, so the feature maps and their gradients can be written down: dS_k/dA_c = D[c,k] / 9.
 */
const w = [1.5, -0.5];
const D = [0.3, -0.2, 0.8, 0.6]; // [2 channels, 2 classes], row-major
function tinyCamModel(): Model {
  const model = graphModel(
    [
      { opType: 'Conv', inputs: ['x', 'W'], outputs: ['A'] },
      { opType: 'GlobalAveragePool', inputs: ['A'], outputs: ['p'] },
      { opType: 'Flatten', inputs: ['p'], outputs: ['f'] },
      { opType: 'MatMul', inputs: ['f', 'D'], outputs: ['scores'] },
    ],
    [floatTensor('W', [2, 1, 1, 1], w), floatTensor('D', [2, 2], D)],
    ['N', 1, 3, 3],
  );
  const rename = (n: string): string => (n === 'x' ? 'image' : n);
  return { ...model, graph: { ...model.graph, nodes: model.graph.nodes.map((n) => ({ ...n, inputs: n.inputs.map(rename) })), inputs: [{ name: 'image', elemType: 1, shape: ['N', 1, 3, 3] }] } };
}

const x = [0.2, -0.7, 1.1, 0.5, -0.3, 0.9, -1.2, 0.4, 0.8];
const A = (c: number): number[] => x.map((v) => w[c]! * v);
const relu = (v: number): number => Math.max(v, 0);

describe('CAM family on a model that can be computed by hand', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let id: string;
  beforeAll(async () => {
    ({ api, close } = testApi());
    id = await openTestModel(api, tinyCamModel(), 'tinycam');
  });
  afterAll(() => close());
  const run = (method: string, params: Record<string, unknown> = {}, target = 1) =>
    api.call('attribute', { modelId: id, input: { kind: 'tensor', dims: [1, 1, 3, 3], data: Float32Array.from(x) }, method, target, params });

  it('Grad-CAM: weights are the mean gradients D[c,k]/9; map = relu(sum_c alpha_c A_c)', async () => {
    const r = await run('grad-cam');
    expect(r.dims).toEqual([1, 1, 3, 3]);
    const expected = x.map((_, i) => relu((D[1]! / 9) * A(0)[i]! + (D[3]! / 9) * A(1)[i]!));
    expected.forEach((v, i) => expect(r.data[i]).toBeCloseTo(v, 6));
    const signed = await run('grad-cam', { relu: false });
    expect(Math.min(...signed.data)).toBeLessThan(0);
  });

  it('Grad-CAM++: the closed form of the paper (g^2 / (2 g^2 + sum A g^3 + 1e-6), weights sum(a relu(g)))', async () => {
    const r = await run('grad-cam-plus-plus', {}, 0);
    const weights = [0, 1].map((c) => {
      const g = D[c * 2]! / 9;
      const sumA = A(c).reduce((s, v) => s + v, 0);
      const a = (g * g) / (2 * g * g + sumA * g ** 3 + 1e-6);
      return 9 * a * relu(g);
    });
    const expected = x.map((_, i) => relu(weights[0]! * A(0)[i]! + weights[1]! * A(1)[i]!));
    expected.forEach((v, i) => expect(r.data[i]).toBeCloseTo(v, 6));
  });

  it('LayerCAM: sum_c relu(g_c) A_c per pixel', async () => {
    const r = await run('layer-cam', {}, 0);
    const expected = x.map((_, i) => relu(relu(D[0]! / 9) * A(0)[i]! + relu(D[2]! / 9) * A(1)[i]!));
    expected.forEach((v, i) => expect(r.data[i]).toBeCloseTo(v, 6));
  });

  it('Score-CAM: channel weights are the softmax of the class scores of the input masked by each normalised channel', async () => {
    const r = await run('score-cam', {}, 1);
    const scoreOf = (input: number[]): number => [0, 1].reduce((s, c) => s + (input.reduce((t, v) => t + w[c]! * v, 0) / 9) * D[c * 2 + 1]!, 0);
    const scores = [0, 1].map((c) => {
      const a = A(c);
      const [lo, hi] = [Math.min(...a), Math.max(...a)];
      return scoreOf(x.map((v, i) => v * ((a[i]! - lo) / (hi - lo + 1e-8))));
    });
    const e = scores.map((s) => Math.exp(s - Math.max(...scores)));
    const weights = e.map((v) => v / (e[0]! + e[1]!));
    const expected = x.map((_, i) => relu(weights[0]! * A(0)[i]! + weights[1]! * A(1)[i]!));
    expected.forEach((v, i) => expect(r.data[i]).toBeCloseTo(v, 5));
  });

  it('CAM: the class weights on the averaged map; equal to Grad-CAM times the map area (9)', async () => {
    const cam = await run('cam', {}, 1);
    const grad = await run('grad-cam', {}, 1);
    Array.from(grad.data).forEach((v, i) => expect(cam.data[i]).toBeCloseTo(9 * v, 5));
  });

  it('Guided Grad-CAM is guided backprop times Grad-CAM, channel by channel', async () => {
    const [ggc, gb, gc] = [await run('guided-grad-cam'), await run('guided-backprop'), await run('grad-cam')];
    expect(ggc.dims).toEqual([1, 1, 3, 3]);
    Array.from(gb.data).forEach((v, i) => expect(ggc.data[i]).toBeCloseTo(v * gc.data[i]!, 6));
  });

  it('bad layer names: missing, or not a spatial map', async () => {
    await expect(run('grad-cam', { layer: 'nope' })).rejects.toMatchObject({ code: 'invalid-argument', message: 'There is no tensor named "nope" in the model.' });
    await expect(run('grad-cam', { layer: 'f' })).rejects.toMatchObject({ message: expect.stringMatching(/"f" has shape \[1, 2\], which is not a spatial feature map/) });
  });
});

describe('CAM family on the bundled MobileNetV2', () => {
  const bundled = useBundledModel('cat_chelsea');

  it('the default layer is the last feature map (1280 x 7 x 7) and CAM = 49 x Grad-CAM (the Grad-CAM paper\'s proof)', async () => {
    const layers = await bundled.api.call('models.layers', { modelId: bundled.modelId });
    expect(layers.find((l) => l.isDefault)).toMatchObject({ shape: [1, 1280, 7, 7], op: 'Clip' });
    const cam = await bundled.api.call('attribute', { modelId: bundled.modelId, input: { kind: 'image', imageId: bundled.imageId }, method: 'cam' });
    const grad = await bundled.api.call('attribute', { modelId: bundled.modelId, input: { kind: 'image', imageId: bundled.imageId }, method: 'grad-cam' });
    expect(cam.targetLabel).toBe('tiger cat');
    const scale = Math.max(...cam.data);
    Array.from(grad.data).forEach((v, i) => expect(Math.abs(cam.data[i]! - 49 * v) / scale).toBeLessThan(1e-4));
    // One forward and one partial backward: a single onnxruntime run.
    expect(grad.graphRuns).toBe(1);
  });

  it('CAM refuses a model without a global-average-pool + linear head, and says why', async () => {
    const model = graphModel(
      [
        { opType: 'Conv', inputs: ['x', 'W'], outputs: ['A'] },
        { opType: 'Flatten', inputs: ['A'], outputs: ['f'] },
        { opType: 'MatMul', inputs: ['f', 'D'], outputs: ['scores'] },
      ],
      [floatTensor('W', [2, 1, 1, 1], [1, 1]), floatTensor('D', [18, 2], new Array(36).fill(0.1))],
      ['N', 1, 3, 3],
    );
    const rename = (n: string): string => (n === 'x' ? 'image' : n);
    const id = await openTestModel(bundled.api, { ...model, graph: { ...model.graph, nodes: model.graph.nodes.map((n) => ({ ...n, inputs: n.inputs.map(rename) })), inputs: [{ name: 'image', elemType: 1, shape: ['N', 1, 3, 3] }] } }, 'nogap');
    await expect(bundled.api.call('attribute', { modelId: id, input: { kind: 'tensor', dims: [1, 1, 3, 3], data: new Float32Array(9).fill(1) }, method: 'cam' })).rejects.toMatchObject({
      code: 'unsupported-model',
      message: expect.stringMatching(/CAM needs the model to end in a global average pool followed by one linear layer; this model's class scores come from a MatMul of a Conv/),
      hint: expect.stringMatching(/grad-cam/),
    });
  });
});
