import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../../src/shared/contract/api';
import { decodeModel } from '../../../../../src/main/engine/onnx/decode';
import { parseNpy, toFloat32 } from '../../../../../src/main/engine/io/npy';
import { testApi } from '../../../../helpers/engine';
import { openTestModel } from '../../../../helpers/image-models';
import { relativeL2 } from '../../../../helpers/fixture-arrays';

/**
 * The CAM family on the small ViT fixture's token layers, against tools/fixtures/make_vit_cam_fixtures.py:
 * the same torch model in float64, tokens mapped to the 4 x 4 grid by pytorch-grad-cam's reshape_transform.
 */
const fixtures = new URL('../../../../fixtures/', import.meta.url);
const npy = (path: string): Float32Array => toFloat32(parseNpy(new Uint8Array(readFileSync(new URL(path, fixtures))), path));
const meta = JSON.parse(readFileSync(new URL('vit-cam/meta.json', fixtures), 'utf8')) as { target: number; files: Record<string, { method: string; layer: string }> };
const input = npy('models/vit/input.npy');

const LAST_NORM1 = '/encoder/layers/encoder_layer_1/ln_1/Add_1_output_0';
const FINAL_NORM = '/encoder/ln/Add_1_output_0';

/** ||a - b|| / ||b||. */

describe('CAM methods on a vision transformer: token layers read as the patch grid', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let modelId: string;
  beforeAll(async () => {
    ({ api, close } = testApi());
    modelId = await openTestModel(api, decodeModel(new Uint8Array(readFileSync(new URL('models/vit/model.onnx', fixtures)))), 'vit-tokens');
  });
  afterAll(() => close());

  const attribute = (method: string, layer?: string) =>
    api.call('attribute', { modelId, input: { kind: 'tensor', dims: [1, 3, 32, 32], data: input }, method, target: meta.target, params: layer ? { layer } : {} });

  it('models.layers lists the token sequences as [32, 4, 4] grids, the class token left out, and defaults to the last block\'s first norm', async () => {
    const layers = await api.call('models.layers', { modelId });
    const tokens = layers.filter((l) => l.layout === 'tokens');
    // The patch tokens before the class token is prepended, then every [1, 17, C] tensor of the two blocks.
    expect(tokens[0]).toMatchObject({ name: '/Transpose_output_0', shape: [1, 16, 32], extraTokens: 0, channels: 32, height: 4, width: 4 });
    expect(tokens.find((l) => l.name === FINAL_NORM)).toMatchObject({ shape: [1, 17, 32], extraTokens: 1, channels: 32, height: 4, width: 4 });
    expect(tokens.find((l) => l.name.endsWith('mlp.0/MatMul_output_0'))).toMatchObject({ channels: 64, height: 4, width: 4 });
    // Not grids: per-head [2, 17, 16], sequence-first [17, 1, 32], LayerNorm statistics [1, 17, 1].
    for (const l of tokens) expect(l.shape[0] === 1 && l.shape[2]! > 1).toBe(true);
    expect(layers.filter((l) => l.isDefault).map((l) => l.name)).toEqual([LAST_NORM1]);
    // The patch embedding's Conv is still listed as an ordinary map.
    expect(layers.find((l) => l.op === 'Conv')).toMatchObject({ layout: 'NCHW', shape: [1, 32, 4, 4], isDefault: false });
  });

  for (const [file, { method, layer }] of Object.entries(meta.files)) {
    it(`${method} on ${layer} equals the PyTorch reference (relative L2 <= 1e-4)`, async () => {
      const r = await attribute(method, layer);
      expect(r.dims).toEqual([1, 1, 32, 32]);
      expect(relativeL2(r.data, npy(`vit-cam/${file}`))).toBeLessThanOrEqual(1e-4);
    });
  }

  it('with no layer given, Grad-CAM uses the default and equals the reference on the last block\'s first norm', async () => {
    const r = await attribute('grad-cam');
    expect(relativeL2(r.data, npy('vit-cam/grad-cam_last_norm1.npy'))).toBeLessThanOrEqual(1e-4);
  });

  it('why that default: after the last attention the patch tokens do not reach the class token, so Grad-CAM on the final norm is zero', async () => {
    const r = await attribute('grad-cam', FINAL_NORM);
    expect(Math.max(...r.data.map(Math.abs))).toBe(0);
  });
});

describe('DeiT: class and distillation tokens', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  beforeAll(() => ({ api, close } = testApi()));
  afterAll(() => close());

  it('both tokens are left out (2 extra), and the default is the last block\'s first norm, where Grad-CAM is not zero', async () => {
    const id = await openTestModel(api, decodeModel(new Uint8Array(readFileSync(new URL('corpus/deit/model.onnx', fixtures)))), 'deit-tokens');
    const layers = await api.call('models.layers', { modelId: id });
    const byDefault = layers.find((l) => l.isDefault);
    expect(byDefault).toMatchObject({ name: '/encoder/layers/encoder_layer_1/ln_1/LayerNormalization_output_0', shape: [1, 18, 32], layout: 'tokens', extraTokens: 2, height: 4, width: 4 });
    const r = await api.call('attribute', { modelId: id, input: { kind: 'tensor', dims: [1, 3, 32, 32], data: input }, method: 'grad-cam', target: 0, params: {} });
    expect(Math.max(...r.data)).toBeGreaterThan(0);
  });
});

describe('Swin: windowed attention is not a feature map', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  beforeAll(() => ({ api, close } = testApi()));
  afterAll(() => close());

  it('only one-image maps are listed (no [windows, heads, tokens, tokens] tensors), and the default is the last stage after the final norm', async () => {
    const id = await openTestModel(api, decodeModel(new Uint8Array(readFileSync(new URL('corpus/swin/model.onnx', fixtures)))), 'swin-windows');
    const layers = await api.call('models.layers', { modelId: id });
    expect(layers.length).toBeGreaterThan(50);
    expect(layers.filter((l) => l.shape[0] !== 1).map((l) => l.name)).toEqual([]);
    expect(layers.some((l) => l.name.includes('/attn/Softmax'))).toBe(false);
    // torchvision's Swin keeps its stages as NHWC maps: the final norm's output, permuted to NCHW.
    expect(layers.find((l) => l.isDefault)).toMatchObject({ shape: [1, 32, 8, 8], layout: 'NCHW' });
    expect(layers.some((l) => l.layout === 'NHWC' && l.shape[1] === 16 && l.shape[2] === 16)).toBe(true);
  });
});

describe('CNNs gain no token layers', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  beforeAll(() => ({ api, close } = testApi()));
  afterAll(() => close());

  for (const name of ['resnet', 'densenet', 'convnext', 'mobilenet_v3']) {
    it(`${name}: every listed layer is a rank-4 map, and the default is the last one`, async () => {
      const id = await openTestModel(api, decodeModel(new Uint8Array(readFileSync(new URL(`models/${name}/model.onnx`, fixtures)))), `cnn-${name}`);
      const layers = await api.call('models.layers', { modelId: id });
      expect(layers.length).toBeGreaterThan(0);
      expect(layers.every((l) => l.layout !== 'tokens' && l.shape.length === 4)).toBe(true);
      expect(layers[layers.length - 1]!.isDefault).toBe(true);
    });
  }
});
