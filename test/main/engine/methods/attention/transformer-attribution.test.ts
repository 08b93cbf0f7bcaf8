import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../../src/shared/contract/api';
import { decodeModel } from '../../../../../src/main/engine/onnx/decode';
import { parameterisedLayers, randomiseLayers } from '../../../../../src/main/engine/metrics/randomise-layers';
import { spearman } from '../../../../../src/main/engine/methods/rank-correlation';
import { testApi } from '../../../../helpers/engine';
import { fixtureNpy, relativeL2 } from '../../../../helpers/fixture-arrays';
import { linearImageModel, openTestModel } from '../../../../helpers/image-models';

/**
 * Transformer attribution (Chefer, Gur and Wolf 2021a, with AttnLRP relevance) on the AttnLRP
 * fixture ViT (class token, biases, LayerNormalization at opset 17) and on the torchvision ViT
 * fixture against the PyTorch references of tools/fixtures/make_attention_relevance_fixtures.py:
 * the gradient at each attention from the plain torch model, the relevance there from the AttnLRP
 * rules of make_attnlrp_fixtures.py (autograd Functions that carry relevance).
 */
const root = new URL('../../../../fixtures/', import.meta.url);
const npy = fixtureNpy;


describe('transformer attribution (LRP- and gradient-weighted attention rollout)', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let vit: string;
  const vitModel = decodeModel(new Uint8Array(readFileSync(new URL('attnlrp/vit_cls.opset17.onnx', root))));
  // The fixture input holds two rows; the reference explains the first.
  const input = npy('attnlrp/input.npy').data.subarray(0, 3 * 16 * 16);
  const explain = (target: number, modelId = vit) =>
    api.call('attribute', { modelId, input: { kind: 'tensor', dims: [1, 3, 16, 16], data: input }, method: 'transformer-attribution', target, params: {} });

  beforeAll(async () => {
    ({ api, close } = testApi());
    vit = await openTestModel(api, vitModel, 'vit-cls');
  });
  afterAll(() => close());

  for (const target of [3, 4]) {
    it(`matches the PyTorch reference for class ${target} (relative L2 <= 1e-4)`, async () => {
      const r = await explain(target);
      const expected = npy(`attention-relevance/vit_cls_transformer_attribution_t${target}.npy`);
      expect(expected.shape).toEqual([16, 16]);
      expect(Math.max(...expected.data)).toBeGreaterThan(0);
      expect(relativeL2(r.data, expected.data)).toBeLessThanOrEqual(1e-4);
    });
  }

  // The torchvision ViT fixture (opset 14: LayerNorm and GELU written out, nn.MultiheadAttention's
  // export with the queries scaled before Q K^T). Its reference applies the same AttnLRP rules to
  // the torch modules; what is left (below 1e-4) comes from where the epsilon stabilisers sit.
  for (const target of [5, 7]) {
    it(`matches the PyTorch reference on the torchvision ViT fixture for class ${target} (relative L2 <= 1e-4)`, async () => {
      const torchvisionVit = await openTestModel(api, decodeModel(new Uint8Array(readFileSync(new URL('models/vit/model.onnx', root)))), `vit-torchvision-${target}`);
      const x = npy('models/vit/input.npy');
      const r = await api.call('attribute', { modelId: torchvisionVit, input: { kind: 'tensor', dims: x.shape, data: x.data }, method: 'transformer-attribution', target, params: {} });
      const expected = npy(`attention-relevance/vit_transformer_attribution_t${target}.npy`);
      expect(expected.shape).toEqual([32, 32]);
      expect(Math.max(...expected.data)).toBeGreaterThan(0);
      expect(relativeL2(r.data, expected.data)).toBeLessThanOrEqual(1e-4);
    });
  }

  it('reads both blocks on the 4 x 4 grid after the class token, from one graph run (one forward, the gradient and LRP backwards)', async () => {
    const r = await explain(3);
    expect(r.figures).toMatchObject({ blocks: 2, heads: 2, tokens: 17, gridRows: 4, gridCols: 4, forwardPasses: 1, backwardPasses: 2 });
    expect(r.graphRuns).toBe(1);
  });

  it('depends on the target class', async () => {
    const a = await explain(3);
    const b = await explain(4);
    expect(relativeL2(b.data, a.data)).toBeGreaterThan(0.05);
  });

  it('says so when the target logit is negative, where the relevance has the sign opposite to the gradient and the map nearly vanishes', async () => {
    const negative = await explain(1);
    expect(negative.figures.logit).toBeLessThan(0);
    expect(negative.notes.join(' ')).toMatch(/logit is negative/);
    const positive = await explain(3);
    expect(positive.notes.join(' ')).not.toMatch(/logit is negative/);
    const norm = (a: Float32Array): number => Math.hypot(...a);
    expect(norm(negative.data)).toBeLessThan(0.01 * norm(positive.data));
  });

  it('changes when the weights are randomised from the top down (sanity check, Adebayo et al.)', async () => {
    const layers = parameterisedLayers(vitModel);
    const original = await explain(3);
    const top = new Set([layers.length - 1, layers.length - 2, layers.length - 3]);
    const all = new Set(layers.map((_, i) => i));
    for (const [name, chosen] of [['top', top], ['all', all]] as const) {
      const id = await openTestModel(api, randomiseLayers(vitModel, layers, chosen, 11), `vit-cls-random-${name}`);
      const randomised = await explain(3, id);
      expect(spearman(randomised.data, original.data), name).toBeLessThan(0.7);
    }
  });

  it('is refused for a model without attention, saying what it looked for', async () => {
    const linear = await openTestModel(api, linearImageModel(Array.from({ length: 16 }, (_, i) => i / 16), [0], [1, 4, 4]), 'linear-no-attention');
    const call = api.call('attribute', { modelId: linear, input: { kind: 'tensor', dims: [1, 1, 4, 4], data: new Float32Array(16) }, method: 'transformer-attribution', target: 0, params: {} });
    await expect(call).rejects.toMatchObject({ code: 'unsupported-model' });
    await expect(call).rejects.toThrow(/Softmax over the key axis/);
  });
});
