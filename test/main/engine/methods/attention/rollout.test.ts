import { describe, expect, it } from 'vitest';
import type { AttentionBlock } from '../../../../../src/main/engine/methods/attention/attention-maps';
import { discardLowest, fuseHeads, residualAttention, rollout } from '../../../../../src/main/engine/methods/attention/rollout';
import { kthSmallest } from '../../../../../src/main/engine/methods/quantile';
import { attentionGrid } from '../../../../../src/main/engine/methods/attention/token-grid';
import { rng } from '../../../../helpers/gradient-check';

/** Random row-stochastic attention, [heads, T, T]. */
function randomBlock(heads: number, tokens: number, next: () => number): AttentionBlock {
  const data = new Float32Array(heads * tokens * tokens);
  for (let h = 0; h < heads; h++) {
    for (let r = 0; r < tokens; r++) {
      const row = Array.from({ length: tokens }, () => Math.exp(3 * next()));
      const s = row.reduce((a, b) => a + b, 0);
      row.forEach((v, c) => (data[(h * tokens + r) * tokens + c] = v / s));
    }
  }
  return { tensor: 'p', heads, tokens, data };
}

/** The full product Â_L ... Â_1 as written in the paper, plain triple loops. */
function fullProduct(blocks: AttentionBlock[], fusion: 'mean' | 'max' | 'min', ratio: number, cls: number | undefined): number[][] {
  const t = blocks[0]!.tokens;
  let r: number[][] = Array.from({ length: t }, (_, i) => Array.from({ length: t }, (_, j) => (i === j ? 1 : 0)));
  for (const b of blocks) {
    const a = residualAttention(b, fusion, ratio, cls);
    r = r.map((_, i) => r.map((__, j) => r.reduce((s, ___, k) => s + a[i * t + k]! * r[k]![j]!, 0)));
  }
  return r;
}

describe('attention rollout arithmetic', () => {
  const next = rng(5);
  const blocks = [randomBlock(3, 6, next), randomBlock(3, 6, next), randomBlock(3, 6, next)];

  it('fuses heads by mean, max and min', () => {
    const b: AttentionBlock = { tensor: 'p', heads: 2, tokens: 1, data: Float32Array.from([0.25, 0.75]) };
    expect(fuseHeads(b, 'mean')[0]).toBeCloseTo(0.5, 12);
    expect(fuseHeads(b, 'max')[0]).toBeCloseTo(0.75, 12);
    expect(fuseHeads(b, 'min')[0]).toBeCloseTo(0.25, 12);
  });

  it('discards the lowest entries but never the class token row', () => {
    const a = Float64Array.from([0.1, 0.2, 0.3, 0.4, 0.05, 0.6, 0.7, 0.8, 0.9]);
    discardLowest(a, 3, 4 / 9, 0);
    // The four lowest are 0.05, 0.1, 0.2, 0.3; 0.1, 0.2 and 0.3 are in row 0 and stay.
    expect(Array.from(a)).toEqual([0.1, 0.2, 0.3, 0.4, 0, 0.6, 0.7, 0.8, 0.9]);
  });

  it('finds the k-th smallest value as a sort does, with ties and at both ends', () => {
    for (const n of [1, 2, 7, 100, 1001]) {
      const values = Float64Array.from({ length: n }, () => Math.round(next() * 20) / 4);
      const sorted = Float64Array.from(values).sort();
      for (const k of new Set([0, Math.floor(n / 3), Math.floor(n / 2), n - 1])) expect(kthSmallest(Float64Array.from(values), k)).toBe(sorted[k]);
    }
  });

  it('adds the residual and normalises rows to 1', () => {
    const a = residualAttention(blocks[0]!, 'max', 0.5, 0);
    for (let r = 0; r < 6; r++) expect(a.subarray(r * 6, r * 6 + 6).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });

  for (const [fusion, ratio] of [['mean', 0], ['max', 0.5], ['min', 0.8]] as const) {
    it(`the class token's row equals row 0 of the full matrix product (${fusion}, discard ${ratio})`, () => {
      const full = fullProduct(blocks, fusion, ratio, 0);
      const flow = rollout(blocks, fusion, ratio, 0);
      full[0]!.forEach((v, j) => expect(flow[j]).toBeCloseTo(v, 12));
    });
  }

  it('without a class token, reads out the mean of the rows', () => {
    const full = fullProduct(blocks, 'mean', 0, undefined);
    const flow = rollout(blocks, 'mean', 0, undefined);
    for (let j = 0; j < 6; j++) expect(flow[j]).toBeCloseTo(full.reduce((s, row) => s + row[j]! / 6, 0), 12);
  });
});

describe('attention token grid', () => {
  it('a class token and a patch grid with the input aspect ratio (ViT-B/16: 197 tokens at 224 x 224)', () => {
    expect(attentionGrid(197, 224, 224)).toEqual({ classToken: 0, firstPatch: 1, rows: 14, cols: 14 });
    expect(attentionGrid(1 + 4 * 8, 32, 64)).toEqual({ classToken: 0, firstPatch: 1, rows: 4, cols: 8 });
  });

  it('class and distillation tokens (DeiT: 198 tokens): the class token is read, both are left out of the grid', () => {
    expect(attentionGrid(198, 224, 224)).toEqual({ classToken: 0, firstPatch: 2, rows: 14, cols: 14 });
  });

  it('patches only (global-pool transformers)', () => {
    expect(attentionGrid(196, 224, 224)).toEqual({ classToken: undefined, firstPatch: 0, rows: 14, cols: 14 });
  });

  it('refuses a layout it cannot place, naming the token count', () => {
    expect(() => attentionGrid(7, 224, 224)).toThrow(/7 tokens/);
  });
});
