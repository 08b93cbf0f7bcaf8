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
 * Generic attention (Chefer, Gur and Wolf 2021b) on the small ViT fixture and the corpus DeiT
 * against the PyTorch references of tools/fixtures/make_attention_relevance_fixtures.py: the ViT
 * rebuilt in torch with its attention written out so the probabilities keep their gradient, the
 * DeiT evaluated by the PyTorch ONNX interpreter, and the rollout of the paper written in numpy.
 */
const root = new URL('../../../../fixtures/', import.meta.url);
const npy = fixtureNpy;
const onnx = (path: string) => decodeModel(new Uint8Array(readFileSync(new URL(path, root))));


describe('generic attention (gradient-weighted attention rollout)', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  const vitModel = onnx('models/vit/model.onnx');
  const models: Record<string, string> = {};
  const inputs = { vit: npy('models/vit/input.npy'), deit: npy('corpus/deit/input.npy') };
  const explain = (model: 'vit' | 'deit', target: number, modelId = models[model]!) =>
    api.call('attribute', { modelId, input: { kind: 'tensor', dims: inputs[model].shape, data: inputs[model].data }, method: 'attention-generic', target, params: {} });

  beforeAll(async () => {
    ({ api, close } = testApi());
    models.vit = await openTestModel(api, vitModel, 'vit');
    models.deit = await openTestModel(api, onnx('corpus/deit/model.onnx'), 'deit');
  });
  afterAll(() => close());

  for (const [model, targets] of [['vit', [3, 7]], ['deit', [0, 4]]] as const) {
    for (const target of targets) {
      it(`matches the PyTorch reference on the ${model} for class ${target} (relative L2 <= 1e-4)`, async () => {
        const r = await explain(model, target);
        const expected = npy(`attention-relevance/${model}_generic_t${target}.npy`);
        expect(expected.shape).toEqual([32, 32]);
        expect(r.data.length).toBe(32 * 32);
        expect(Math.max(...expected.data)).toBeGreaterThan(0);
        expect(relativeL2(r.data, expected.data)).toBeLessThanOrEqual(1e-4);
      });
    }
  }

  it('finds both blocks and their heads, reads the DeiT grid after its two tokens, and takes one onnxruntime run', async () => {
    const vit = await explain('vit', 3);
    expect(vit.figures).toMatchObject({ blocks: 2, heads: 2, tokens: 17, gridRows: 4, gridCols: 4, forwardPasses: 1, backwardPasses: 1 });
    expect(vit.graphRuns).toBe(1);
    const deit = await explain('deit', 0);
    expect(deit.figures).toMatchObject({ blocks: 2, heads: 2, tokens: 18, gridRows: 4, gridCols: 4 });
  });

  it('depends on the target class, unlike attention rollout', async () => {
    const a = await explain('vit', 3);
    const b = await explain('vit', 7);
    expect(relativeL2(b.data, a.data)).toBeGreaterThan(0.05);
  });

  it('changes when the weights are randomised from the top down (sanity check, Adebayo et al.)', async () => {
    // Cascading randomisation: the classifier head and the last blocks' layers first, then everything.
    const layers = parameterisedLayers(vitModel);
    const original = await explain('vit', 3);
    const top = new Set([layers.length - 1, layers.length - 2, layers.length - 3]);
    const all = new Set(layers.map((_, i) => i));
    for (const [name, chosen] of [['top', top], ['all', all]] as const) {
      const id = await openTestModel(api, randomiseLayers(vitModel, layers, chosen, 11), `vit-random-${name}`);
      const randomised = await explain('vit', 3, id);
      expect(spearman(randomised.data, original.data), name).toBeLessThan(0.7);
    }
  });

  it('is refused for a model without attention, saying what it looked for and that it is for transformers', async () => {
    const linear = await openTestModel(api, linearImageModel(Array.from({ length: 16 }, (_, i) => i / 16), [0], [1, 4, 4]), 'linear-no-attention');
    const call = api.call('attribute', { modelId: linear, input: { kind: 'tensor', dims: [1, 1, 4, 4], data: new Float32Array(16) }, method: 'attention-generic', target: 0, params: {} });
    await expect(call).rejects.toMatchObject({ code: 'unsupported-model' });
    await expect(call).rejects.toThrow(/Softmax over the key axis/);
    await expect(call).rejects.toHaveProperty('hint', expect.stringMatching(/transformers/));
  });

  it("is refused for a CNN whose only Softmax is its class head, which is not taken for attention", async () => {
    const cnn = await openTestModel(api, onnx('corpus/keras_softmax/model.onnx'), 'keras-softmax');
    const x = npy('corpus/keras_softmax/input.npy');
    const call = api.call('attribute', { modelId: cnn, input: { kind: 'tensor', dims: x.shape, data: x.data }, method: 'attention-generic', target: 2, params: {} });
    await expect(call).rejects.toMatchObject({ code: 'unsupported-model' });
    await expect(call).rejects.toThrow(/none of its Softmax nodes lies before the class scores/);
  });
});
