import { describe, expect, it } from 'vitest';
import { bootstrapMean, rankMethods } from '../../../../src/main/engine/metrics/aggregate';
import { Rng } from '../../../../src/main/engine/random/rng';

describe('dataset aggregates', () => {
  it('bootstrap: a constant sample has a zero-width interval; a normal sample covers its mean at about ±1.96 σ/√n', () => {
    expect(bootstrapMean([0.3, 0.3, 0.3])).toMatchObject({ n: 3, mean: 0.3, std: 0, ciLow: 0.3, ciHigh: 0.3 });
    const rng = new Rng(2);
    const values = Array.from({ length: 400 }, () => 1 + 2 * rng.normal());
    const s = bootstrapMean(values, { seed: 5 });
    expect(s.ciLow).toBeLessThan(s.mean);
    expect(s.ciHigh).toBeGreaterThan(s.mean);
    // Width close to the normal-theory 2 * 1.96 * σ / √n.
    expect((s.ciHigh - s.ciLow) / ((2 * 1.96 * s.std) / Math.sqrt(400))).toBeGreaterThan(0.85);
    expect((s.ciHigh - s.ciLow) / ((2 * 1.96 * s.std) / Math.sqrt(400))).toBeLessThan(1.15);
    expect(bootstrapMean(values, { seed: 5 })).toEqual(s);
    expect(() => bootstrapMean([])).toThrow(/No scores/);
  });

  it('ranks methods per metric in its direction and overall by mean rank', () => {
    const ranking = rankMethods(
      { a: { deletion: 0.1, insertion: 0.5 }, b: { deletion: 0.2, insertion: 0.7 }, c: { deletion: 0.1, insertion: 0.2 } },
      { deletion: false, insertion: true },
    );
    // deletion (lower better): a and c tie for 1.5, b 3; insertion: b 1, a 2, c 3.
    expect(ranking).toEqual([
      { method: 'a', ranks: { deletion: 1.5, insertion: 2 }, meanRank: 1.75 },
      { method: 'b', ranks: { deletion: 3, insertion: 1 }, meanRank: 2 },
      { method: 'c', ranks: { deletion: 1.5, insertion: 3 }, meanRank: 2.25 },
    ]);
  });
});
