import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../../src/shared/contract/api';
import { decodeModel } from '../../../../../src/main/engine/onnx/decode';
import { parameterisedLayers, randomiseLayers } from '../../../../../src/main/engine/metrics/randomise-layers';
import { testApi } from '../../../../helpers/engine';
import { fixtureNpy, relativeL2 } from '../../../../helpers/fixture-arrays';
import { linearImageModel, openTestModel } from '../../../../helpers/image-models';

/**
 * Attention rollout on the small ViT fixture against the PyTorch reference of
 * tools/fixtures/make_attention_rollout_fixtures.py, which rebuilds the same seeded torch model,
 * hooks its attention probabilities and computes the rollout as Abnar and Zuidema define it.
 */
const root = new URL('../../../../fixtures/', import.meta.url);
const npy = fixtureNpy;


describe('attention rollout on the ViT fixture', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let vit: string;
  const vitModel = decodeModel(new Uint8Array(readFileSync(new URL('models/vit/model.onnx', root))));
  const input = npy('models/vit/input.npy');
  const tensor = () => ({ kind: 'tensor' as const, dims: input.shape, data: input.data });
  const rollout = (modelId: string, params: Record<string, unknown>, target = 3) =>
    api.call('attribute', { modelId, input: tensor(), method: 'attention-rollout', target, params });

  beforeAll(async () => {
    ({ api, close } = testApi());
    vit = await openTestModel(api, vitModel, 'vit');
  });
  afterAll(() => close());

  for (const headFusion of ['mean', 'max', 'min'] as const) {
    for (const discardRatio of [0, 0.9]) {
      it(`matches the PyTorch reference: ${headFusion} head fusion, discard ratio ${discardRatio} (relative L2 <= 1e-5)`, async () => {
        const r = await rollout(vit, { headFusion, discardRatio });
        const expected = npy(`attention-rollout/rollout_${headFusion}_${discardRatio}.npy`);
        expect(expected.shape).toEqual([32, 32]);
        expect(r.data.length).toBe(32 * 32);
        expect(relativeL2(r.data, expected.data)).toBeLessThanOrEqual(1e-5);
      });
    }
  }

  it('finds both blocks, their two heads and the 4 x 4 patch grid after the class token, in one forward pass', async () => {
    const r = await rollout(vit, {});
    expect(r.figures).toMatchObject({ blocks: 2, heads: 2, tokens: 17, gridRows: 4, gridCols: 4, forwardPasses: 1 });
  });

  it('is the same map for every target class', async () => {
    const a = await rollout(vit, {}, 3);
    const b = await rollout(vit, {}, 7);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it('changes when the attention weights are randomised (sanity check: the map depends on the model)', async () => {
    // The q/k/v projections are the MatMul layers that feed the attention Softmax.
    const layers = parameterisedLayers(vitModel);
    const matmuls = new Set(layers.flatMap((l, i) => (l.opType === 'MatMul' ? [i] : [])));
    expect(matmuls.size).toBeGreaterThan(0);
    const randomised = await openTestModel(api, randomiseLayers(vitModel, layers, matmuls, 7), 'vit-random');
    const original = await rollout(vit, {});
    const changed = await rollout(randomised, {});
    expect(relativeL2(changed.data, original.data)).toBeGreaterThan(0.05);
  });

  it('is refused for a model without attention, saying what it looked for and that it is for transformers', async () => {
    const linear = await openTestModel(api, linearImageModel(Array.from({ length: 16 }, (_, i) => i / 16), [0], [1, 4, 4]), 'linear-no-attention');
    const call = api.call('attribute', { modelId: linear, input: { kind: 'tensor', dims: [1, 1, 4, 4], data: new Float32Array(16) }, method: 'attention-rollout', target: 0, params: {} });
    await expect(call).rejects.toMatchObject({ code: 'unsupported-model' });
    await expect(call).rejects.toThrow(/Softmax over the key axis/);
    await expect(call).rejects.toHaveProperty('hint', expect.stringMatching(/transformers/));
  });

  it('rejects a discard ratio of 1 or more (nothing would be left)', async () => {
    await expect(rollout(vit, { discardRatio: 1 })).rejects.toMatchObject({ code: 'invalid-argument' });
  });
});
