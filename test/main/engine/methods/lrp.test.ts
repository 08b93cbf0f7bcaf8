import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { LrpCompositeParams, LrpEpsilonParams } from '../../../../src/shared/methods/gradient-methods';
import { CompositeName } from '../../../../src/main/engine/autodiff/lrp/composites';
import { parseNpy, toFloat32 } from '../../../../src/main/engine/io/npy';
import { decodeModel } from '../../../../src/main/engine/onnx/decode';
import { inputBox } from '../../../../src/main/engine/methods/lrp';
import type { ModelCard } from '../../../../src/shared/model-card';
import { testApi } from '../../../helpers/engine';
import { rng } from '../../../helpers/gradient-check';
import { linearImageModel, openTestModel } from '../../../helpers/image-models';

const r = rng(19);
const randoms = (n: number, scale = 1): number[] => Array.from({ length: n }, () => scale * (2 * r() - 1));
const total = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0);
const fixtures = new URL('../../../fixtures/lrp/', import.meta.url);
const npy = (name: string): Float32Array => toFloat32(parseNpy(new Uint8Array(readFileSync(new URL(name, fixtures))), name));

describe('LRP methods: parameters and defaults', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let linear: string;
  let vgg: string;
  const w = randoms(16 * 3);
  const b = [0.1, -0.2, 0.3];
  const x = Float32Array.from(randoms(16));
  const weightsOf = (k: number): number[] => Array.from({ length: 16 }, (_, i) => w[i * 3 + k]!);
  const image = Float32Array.from(npy('input.npy').subarray(0, 3 * 16 * 16));

  beforeAll(async () => {
    ({ api, close } = testApi());
    linear = await openTestModel(api, linearImageModel(w, b, [1, 4, 4]), 'linear');
    vgg = await openTestModel(api, decodeModel(new Uint8Array(readFileSync(new URL('vgg_like.opset17.onnx', fixtures)))), 'vgg');
  });
  afterAll(() => close());

  const attribute = (modelId: string, method: string, params: Record<string, unknown>, data: Float32Array, dims: number[], target: number) =>
    api.call('attribute', { modelId, input: { kind: 'tensor' as const, dims, data }, method, params, target });

  it('defaults: a one-hot start, z+ keeping biases, epsilon 1e-6 (Zennit)', () => {
    expect(LrpEpsilonParams.parse({})).toEqual({ epsilon: 1e-6, startRelevance: 'one' });
    expect(LrpCompositeParams.parse({})).toEqual({ name: 'epsilon-plus-flat', epsilon: 1e-6, startRelevance: 'one', zPlusBias: 'keep', gamma: 0.25 });
    expect(() => LrpCompositeParams.parse({ startRelevance: 'logit' })).toThrow();
    expect(() => LrpCompositeParams.parse({ zPlusBias: 'drop' })).toThrow();
  });

  it("the parameter's composite names are exactly the engine's", () => {
    expect([...LrpCompositeParams.shape.name.unwrap().options].sort()).toEqual([...CompositeName.options].sort());
  });

  it('LRP-epsilon on a linear model starts from 1: R_i = x_i w_i / z, and the bias keeps b / z of it', async () => {
    const lrp = await attribute(linear, 'lrp-epsilon', { epsilon: 1e-9 }, x, [1, 1, 4, 4], 0);
    const z = total(weightsOf(0).map((v, i) => v * x[i]!)) + b[0]!;
    weightsOf(0).forEach((v, i) => expect(lrp.data[i]).toBeCloseTo((x[i]! * v) / z, 5));
    expect(lrp.figures['startRelevance']).toBe(1);
    expect(lrp.figures['logit']).toBeCloseTo(z, 5);
    expect(lrp.figures['relevanceSum']).toBeCloseTo((z - b[0]!) / z, 5);
    expect(lrp.figures['conservationError']).toBeCloseTo(Math.abs(b[0]! / z), 5);
  });

  it('startRelevance "output" is the logit times the one-hot start', async () => {
    const one = await attribute(linear, 'lrp-epsilon', {}, x, [1, 1, 4, 4], 2);
    const output = await attribute(linear, 'lrp-epsilon', { startRelevance: 'output' }, x, [1, 1, 4, 4], 2);
    const logit = output.figures['logit']!;
    expect(output.figures['startRelevance']).toBeCloseTo(logit, 6);
    one.data.forEach((v, i) => expect(output.data[i]).toBeCloseTo(v * logit, 6));
  });

  // End to end through the method, the engine and its canonizers: the composite's defaults give
  // the PyTorch reference's Zennit-default relevance (tools/fixtures/make_lrp_reference.py).
  const reference = (file: string): Float32Array => npy(file).subarray(0, image.length);
  const expectClose = (actual: ArrayLike<number>, expected: Float32Array): void => {
    const scale = Math.max(...Array.from(expected, Math.abs));
    let worst = 0;
    expected.forEach((v, i) => (worst = Math.max(worst, Math.abs(actual[i]! - v))));
    expect(worst / scale).toBeLessThan(1e-5);
  };

  it('lrp-composite with its defaults equals the reference EpsilonPlusFlat (VGG-like, hidden biases, BatchNorm)', async () => {
    const lrp = await attribute(vgg, 'lrp-composite', {}, image, [1, 3, 16, 16], 0);
    expectClose(lrp.data, reference('vgg_like.epsilon-plus-flat.one.keep.eps1e-06.npy'));
  });

  it('lrp-composite with zPlusBias "ignore" and startRelevance "output" equals those reference cases', async () => {
    const ignore = await attribute(vgg, 'lrp-composite', { name: 'epsilon-alpha2-beta1', zPlusBias: 'ignore' }, image, [1, 3, 16, 16], 0);
    expectClose(ignore.data, reference('vgg_like.epsilon-alpha2-beta1.one.ignore.eps1e-06.npy'));
    const output = await attribute(vgg, 'lrp-composite', { startRelevance: 'output' }, image, [1, 3, 16, 16], 0);
    expectClose(output.data, reference('vgg_like.epsilon-plus-flat.output.keep.eps1e-06.npy'));
  });

  it('epsilon-gamma-box with the box given equals the reference EpsilonGammaBox', async () => {
    const cases = JSON.parse(readFileSync(new URL('cases.json', fixtures), 'utf8')) as { models: Record<string, { cases: Array<{ composite: string; zPlusBias: string; gamma?: number; low?: number[]; high?: number[]; file: string }> }> };
    const c = cases.models['vgg_like']!.cases.find((k) => k.composite === 'epsilon-gamma-box' && k.zPlusBias === 'keep' && k.gamma === 0.25)!;
    const lrp = await attribute(vgg, 'lrp-composite', { name: 'epsilon-gamma-box', low: c.low, high: c.high }, image, [1, 3, 16, 16], 0);
    expectClose(lrp.data, reference(c.file));
  });

  it('z-box bounds that fit neither one value nor one per channel are refused, naming the layer', async () => {
    await expect(attribute(vgg, 'lrp-composite', { name: 'epsilon-gamma-box', low: [0, 0], high: [1, 1] }, image, [1, 3, 16, 16], 0)).rejects.toThrow(/z-box bounds have 2 and 2 values; the layer reads 3 channels/);
  });
});

describe('the z-box bounds from the model card', () => {
  const card = (preprocess: Partial<ModelCard['preprocess']>): ModelCard =>
    ({ preprocess: { resize: { mode: 'stretch' }, interpolation: 'bilinear', scale: 1, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], ...preprocess } }) as unknown as ModelCard;

  it('a black and a white pixel through the normalisation, per channel', () => {
    const box = inputBox(card({}), undefined, undefined);
    [0.485, 0.456, 0.406].forEach((m, c) => {
      expect(box.low[c]).toBeCloseTo(-m / [0.229, 0.224, 0.225][c]!, 12);
      expect(box.high[c]).toBeCloseTo((1 - m) / [0.229, 0.224, 0.225][c]!, 12);
    });
  });

  it("a Caffe-style card's scale and a valueRange move the bounds; one mean and std serve every channel", () => {
    expect(inputBox(card({ scale: 255, mean: [127.5], std: [127.5] }), undefined, undefined)).toEqual({ low: [-1], high: [1] });
    expect(inputBox(card({ mean: [0], std: [1], valueRange: [-1024, 1024] }), undefined, undefined)).toEqual({ low: [-1024], high: [1024] });
  });

  it('given bounds win; one bound alone or a z-scored card is an error that says what to give', () => {
    expect(inputBox(card({ zscore: true }), [-3], [3])).toEqual({ low: [-3], high: [3] });
    expect(() => inputBox(card({}), [-3], undefined)).toThrow(/only one of "low" and "high"/);
    expect(() => inputBox(card({ zscore: true }), undefined, undefined)).toThrow(/zscore/);
  });
});
