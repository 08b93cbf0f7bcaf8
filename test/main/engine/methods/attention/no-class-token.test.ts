import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../../src/shared/contract/api';
import { decodeModel } from '../../../../../src/main/engine/onnx/decode';
import { testApi } from '../../../../helpers/engine';
import { fixtureNpy, relativeL2 } from '../../../../helpers/fixture-arrays';
import { openTestModel } from '../../../../helpers/image-models';

/**
 * A transformer without a class token (the AttnLRP fixture's vit_tight: 16 patch tokens, mean
 * pooling, no biases): generic attention and transformer attribution read the mean of all rows of
 * the rollout, as attention rollout does, against the PyTorch references of
 * tools/fixtures/make_attention_relevance_fixtures.py.
 */
const root = new URL('../../../../fixtures/', import.meta.url);
const npy = fixtureNpy;


describe('gradient-weighted attention without a class token', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let modelId: string;
  const input = npy('attnlrp/input.npy').data.subarray(0, 3 * 16 * 16);

  beforeAll(async () => {
    ({ api, close } = testApi());
    modelId = await openTestModel(api, decodeModel(new Uint8Array(readFileSync(new URL('attnlrp/vit_tight.opset17.onnx', root)))), 'vit-tight');
  });
  afterAll(() => close());

  for (const [method, file] of [['attention-generic', 'generic'], ['transformer-attribution', 'transformer_attribution']] as const) {
    for (const target of [3, 4]) {
      it(`${method} matches the PyTorch reference for class ${target}, every token a patch (relative L2 <= 1e-4)`, async () => {
        const r = await api.call('attribute', { modelId, input: { kind: 'tensor', dims: [1, 3, 16, 16], data: input }, method, target, params: {} });
        expect(r.figures).toMatchObject({ tokens: 16, gridRows: 4, gridCols: 4 });
        const expected = npy(`attention-relevance/vit_tight_${file}_t${target}.npy`);
        expect(Math.max(...expected.data)).toBeGreaterThan(0);
        expect(relativeL2(r.data, expected.data)).toBeLessThanOrEqual(1e-4);
      });
    }
  }
});
