import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../../src/shared/contract/api';
import { createSession } from '../../../../../src/main/engine/runtime/execution-providers';
import { floatData, inputTensor } from '../../../../../src/main/engine/runtime/model-tensors';
import { testApi } from '../../../../helpers/engine';
import { modelPath, openTransformer, opsets, relativeL2, transformerArray, transformerMeta, transformerNames } from './transformer-fixtures';

/**
 * The seeded DeiT-like and Swin-like fixtures (tools/fixtures/make_transformer_fixtures.py) at opsets
 * 17 and 18, and the CAM family's reading of Swin's stage outputs: the token sequence after window
 * reversal, [1, H·W, C], is the H x W grid (pytorch-grad-cam's Swin reshape_transform); so is the shifted
 * block's attention branch once its windows are reversed and its roll undone ([1, H, W, C]).
 */
describe('transformer fixtures at opsets 17 and 18', () => {
  for (const name of transformerNames) {
    for (const opset of opsets) {
      it(`${name} at opset ${opset}: onnxruntime gives the torch module's logits`, async () => {
        const { session } = await createSession(new Uint8Array(readFileSync(modelPath(name, opset))), 'cpu', { logSeverityLevel: 3 });
        const out = await session.run({ input: inputTensor(session, 'input', transformerArray(name, 'input.npy'), transformerMeta.inputDims) });
        expect(relativeL2(floatData(out['logits']!, 'logits'), transformerArray(name, 'logits.npy'))).toBeLessThanOrEqual(1e-5);
      });
    }
  }
});

describe('Swin: stage outputs mapped back to the patch grid', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  const ids: Record<number, string> = {};
  const gradcam = Object.entries(transformerMeta.models.swin.gradcam!);
  beforeAll(async () => {
    ({ api, close } = testApi());
    for (const opset of opsets) ids[opset] = await openTransformer(api, 'swin', opset);
  });
  afterAll(() => close());

  for (const opset of opsets) {
    it(`opset ${opset}: lumen layers lists each stage output as its [C, H, W] grid with no extra tokens, and no displaced or attention tensor`, async () => {
      const layers = await api.call('models.layers', { modelId: ids[opset]! });
      for (const [, ref] of gradcam) {
        const layer = opset === 17 ? ref.layer : ref.layerOpset18;
        const expected =
          ref.tokens.length === 3
            ? { layout: 'tokens', shape: ref.tokens, extraTokens: 0, channels: ref.tokens[2], height: ref.grid[0], width: ref.grid[1] }
            : { layout: 'NHWC', shape: ref.tokens, channels: ref.tokens[3], height: ref.grid[0], width: ref.grid[1] };
        expect(layers.find((l) => l.name === layer)).toMatchObject(expected);
      }
      // Windowed tensors ([windows, w·w, C], [windows, heads, w·w, w·w]) hold several windows: not one image's map.
      expect(layers.filter((l) => l.shape[0] !== 1)).toEqual([]);
      // Nor are a single window's attention [1, heads, 16, 16] or per-head [1, heads, 16, d] tensors: every rank-4 map is on a token grid.
      for (const l of layers.filter((x) => x.layout !== 'tokens' && x.op !== 'Conv')) expect([[8, 8], [4, 4]]).toContainEqual([l.height, l.width]);
      // The patch embedding flattened channels first, [1, 16, 64], is not 16 tokens.
      expect(layers.some((l) => l.name === '/Reshape_output_0')).toBe(false);
      // The shifted block: the roll (two Slice/Concat pairs) displaces the cells until the inverse roll, so only the latter is offered.
      const shiftedBlock = layers.filter((l) => l.name.startsWith('/stage1.1/') && l.layout === 'NHWC').map((l) => l.name);
      expect(shiftedBlock).toEqual(['/stage1.1/Reshape_output_0', '/stage1.1/Concat_3_output_0']);
      // The default: the final norm, as wide as the last stage (not stage 2's wider MLP hidden layer).
      expect(layers.find((l) => l.isDefault)).toMatchObject({ name: '/norm/LayerNormalization_output_0', shape: [1, 16, 32], height: 4, width: 4 });
    });

    for (const [file, ref] of gradcam) {
      it(`opset ${opset}: Grad-CAM at ${ref.layer} (${ref.grid.join(' x ')} grid, ${file}) equals the PyTorch reference (relative L2 <= 1e-4)`, async () => {
        const layer = opset === 17 ? ref.layer : ref.layerOpset18;
        const r = await api.call('attribute', {
          modelId: ids[opset]!,
          input: { kind: 'tensor', dims: transformerMeta.inputDims, data: transformerArray('swin', 'input.npy') },
          method: 'grad-cam',
          target: transformerMeta.target,
          params: { layer },
        });
        expect(r.dims).toEqual([1, 1, 32, 32]);
        expect(relativeL2(r.data, transformerArray('swin', file))).toBeLessThanOrEqual(1e-4);
      });
    }
  }
});

describe("torchvision's Swin (the corpus model): its rolls are recognised too", () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  beforeAll(() => ({ api, close } = testApi()));
  afterAll(() => close());

  it('between the roll and its inverse nothing is offered, nor the Slices a roll is made of; the inverse roll is', async () => {
    const corpus = fileURLToPath(new URL('../../../../fixtures/corpus/swin/model.onnx', import.meta.url));
    const { id } = await api.call('models.open', { path: corpus, card: { preprocess: { scale: 1, mean: [0, 0, 0], std: [1, 1, 1], resize: { mode: 'stretch' } } }, executionProvider: 'cpu' });
    const block = (await api.call('models.layers', { modelId: id })).filter((l) => l.name.startsWith('/features/features.1/features.1.1/attn/')).map((l) => l.name.split('/').at(-1));
    // Pad, then the roll (Slice_1, Slice_2 -> Concat_3 on H; Concat_4 on W), windows, the inverse roll (Concat_34 on H, Concat_35 on W), the unpadding Slices.
    expect(block).toEqual(['Pad_output_0', 'Concat_35_output_0', 'Slice_54_output_0', 'Slice_55_output_0']);
  });
});
