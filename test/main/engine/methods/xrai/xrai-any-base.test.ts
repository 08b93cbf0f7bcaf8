import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../../src/shared/contract/api';
import { encodeNpy } from '../../../../../src/main/engine/io/npy';
import { methodCatalogue } from '../../../../../src/shared/methods/catalogue';
import { testApi } from '../../../../helpers/engine';
import { tempDir } from '../../../../helpers/tiny-models';
import { openTransformer, transformerArray, transformerMeta } from '../transformers/transformer-fixtures';

/**
 * XRAI ranks its regions by any method's map, the transformer methods included: attention rollout
 * and the gradient-weighted attention maps are patch-grid maps upsampled to pixels, the CAM family's
 * too, and LRP's are per channel (XRAI takes each pixel's maximum, as PAIR does). On the DeiT-like
 * fixture with the image cut into four quadrants, each region's gain must be its quadrant's mean of
 * the base map computed on its own, and the regions must come by decreasing gain.
 */
const [H, W] = [32, 32];
const quadrant = (p: number): number => (Math.floor(p / W) >= H / 2 ? 2 : 0) + (p % W >= W / 2 ? 1 : 0);

const bases = [
  ...methodCatalogue.filter((m) => m.family === 'attention').map((m) => ({ label: m.id, base: m.id, baseParams: {} as Record<string, unknown> })),
  ...['grad-cam', 'score-cam'].map((id) => ({ label: id, base: id, baseParams: {} as Record<string, unknown> })),
  ...['attn-lrp', 'cp-lrp']
    .filter((name) => methodCatalogue.find((m) => m.id === 'lrp-composite')?.params.safeParse({ name }).success)
    .map((name) => ({ label: `lrp-composite ${name}`, base: 'lrp-composite', baseParams: { name } as Record<string, unknown> })),
];

describe('XRAI with a transformer method as its base', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let modelId: string;
  const dir = tempDir();
  const segments = join(dir, 'quadrants.npy');
  const input = { kind: 'tensor' as const, dims: transformerMeta.inputDims, data: transformerArray('deit', 'input.npy') };
  beforeAll(async () => {
    ({ api, close } = testApi());
    modelId = await openTransformer(api, 'deit', 17);
    writeFileSync(segments, encodeNpy({ shape: [H, W], data: Int32Array.from({ length: H * W }, (_, p) => 1 + quadrant(p)) }));
  }, 60_000);
  afterAll(() => close());

  /** The base map per pixel: a one-channel map as is, a per-channel one by its maximum. */
  const perPixel = (data: Float32Array, channels: number): number[] =>
    Array.from({ length: H * W }, (_, p) => Math.max(...Array.from({ length: channels }, (_, c) => data[c * H * W + p]!)));

  for (const { label, base, baseParams } of bases) {
    it(`${label}: the quadrants ranked by their mean ${label} map`, async () => {
      const own = await api.call('attribute', { modelId, input, method: base, target: transformerMeta.target, params: baseParams });
      const map = perPixel(own.data, own.dims[1]!);
      const means = [0, 1, 2, 3].map((q) => {
        const members = map.filter((_, p) => quadrant(p) === q);
        return members.reduce((s, v) => s + v, 0) / members.length;
      });
      const order = [0, 1, 2, 3].sort((a, b) => means[b]! - means[a]!);
      const xrai = await api.call('attribute', {
        modelId,
        input,
        method: 'xrai',
        target: transformerMeta.target,
        params: { base, baseParams, segments, dilationRadius: 0, minPixelDiff: 1 },
      });
      expect(xrai.regions!.list.map((r) => r.area)).toEqual([256, 256, 256, 256]);
      expect(xrai.regions!.list.map((r) => r.gain)).toEqual(order.map((q) => expect.closeTo(means[q]!, 5)));
      xrai.regions!.ranks.forEach((rank, p) => expect(rank).toBe(order.indexOf(quadrant(p)) + 1));
      // The inspector's area slider reads the same ranks: with areaThreshold, the top regions' mask.
      const masked = await api.call('attribute', {
        modelId,
        input,
        method: 'xrai',
        target: transformerMeta.target,
        params: { base, baseParams, segments, dilationRadius: 0, minPixelDiff: 1, areaThreshold: 0.5 },
      });
      masked.data.forEach((v, p) => expect(v).toBe(order.indexOf(quadrant(p)) < 2 ? 1 : 0));
    }, 60_000);
  }

  it('with its own over-segmentation, XRAI on attention rollout covers the image with disjoint regions', async () => {
    const result = await api.call('attribute', { modelId, input, method: 'xrai', target: transformerMeta.target, params: { base: 'attention-rollout' } });
    expect(result.regions!.list.reduce((s, r) => s + r.area, 0)).toBe(H * W);
    expect(result.figures['base forwardPasses']).toBe(1);
  });
});
