import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auroc } from '../../../../src/main/engine/metrics/auroc';
import { findingMetrics } from '../../../../src/main/engine/metrics/finding-metrics';
import { Rng } from '../../../../src/main/engine/random/rng';

/** Cases from tools/fixtures/make_multilabel_fixtures.py: U from average ranks (NumPy), many ties. */
const cases = JSON.parse(readFileSync(new URL('../../../fixtures/multilabel/auroc_cases.json', import.meta.url), 'utf8')) as Array<{ scores: number[]; labels: number[]; auroc: number }>;

describe('auroc', () => {
  it('is 1 when every positive scores above every negative, 0 when below, 1/2 when all tie', () => {
    expect(auroc([0.1, 0.2, 0.8, 0.9], [false, false, true, true])).toBe(1);
    expect(auroc([0.1, 0.2, 0.8, 0.9], [true, true, false, false])).toBe(0);
    expect(auroc([0.5, 0.5, 0.5], [true, false, false])).toBe(0.5);
  });

  it('counts a tie between a positive and a negative as one half (hand-computed)', () => {
    // Positives 0.4, 0.7; negatives 0.2, 0.4, 0.9. Pairs: (0.4 vs 0.2) 1, (0.4 vs 0.4) 1/2, (0.4 vs 0.9) 0,
    // (0.7 vs 0.2) 1, (0.7 vs 0.4) 1, (0.7 vs 0.9) 0: 3.5 of 6.
    expect(auroc([0.2, 0.4, 0.4, 0.7, 0.9], [false, true, false, true, false])).toBeCloseTo(3.5 / 6, 12);
  });

  it('is undefined (null) without positives or without negatives', () => {
    expect(auroc([0.1, 0.2], [true, true])).toBeNull();
    expect(auroc([0.1, 0.2], [false, false])).toBeNull();
    expect(auroc([], [])).toBeNull();
  });

  it(`matches the Mann-Whitney U from average ranks on ${cases.length} random cases with ties`, () => {
    expect(cases.some((c) => new Set(c.scores).size < c.scores.length)).toBe(true);
    for (const c of cases) expect(auroc(c.scores, c.labels.map(Boolean))).toBeCloseTo(c.auroc, 12);
  });
});

describe('findingMetrics', () => {
  it('gives sensitivity and specificity at the threshold (>= calls present) with intervals around them', () => {
    const probability = [0.9, 0.6, 0.5, 0.3, 0.45, 0.2, 0.1, 0.7];
    const truth = [true, true, true, true, false, false, false, false];
    const m = findingMetrics(probability, truth, 0.5, { resamples: 500, seed: 3 });
    expect(m).toMatchObject({ images: 8, positives: 4 });
    expect(m.sensitivity.value).toBe(3 / 4);
    expect(m.specificity.value).toBe(3 / 4);
    // Pairs won: 0.9 beats 4, 0.6 beats 3, 0.5 beats 3, 0.3 beats 2: 12 of 16.
    expect(m.auroc.value).toBe(12 / 16);
    for (const e of [m.auroc, m.sensitivity, m.specificity]) {
      expect(e.ciLow!).toBeLessThanOrEqual(e.value!);
      expect(e.ciHigh!).toBeGreaterThanOrEqual(e.value!);
      expect(e.ciHigh! - e.ciLow!).toBeGreaterThan(0);
    }
    expect(findingMetrics(probability, truth, 0.5, { resamples: 500, seed: 3 })).toEqual(m);
  });

  it('agrees with auroc() on the data, and its intervals are those of resampling by copying (same draws)', () => {
    for (const c of cases) {
      // The same stratified draws as findingMetrics, the resample copied out and scored by auroc().
      const truthOf = c.labels.map(Boolean);
      const pos = c.scores.flatMap((_, i) => (truthOf[i] ? [i] : []));
      const neg = c.scores.flatMap((_, i) => (truthOf[i] ? [] : [i]));
      const rng = new Rng(1);
      const copied: number[] = [];
      for (let k = 0; k < 200; k++) {
        const drawn = [...pos.map(() => pos[rng.int(pos.length)]!), ...neg.map(() => neg[rng.int(neg.length)]!)];
        copied.push(auroc(drawn.map((i) => c.scores[i]!), drawn.map((i) => truthOf[i]!))!);
      }
      copied.sort((a, b) => a - b);
      const interval = findingMetrics(c.scores, truthOf, 0.5, { resamples: 200, seed: 1 }).auroc;
      expect(interval.ciLow).toBeCloseTo(copied[Math.floor(0.025 * 200)]!, 12);
      expect(interval.ciHigh).toBeCloseTo(copied[Math.floor(0.975 * 200)]!, 12);
    }
    for (const c of cases) {
      const truth = c.labels.map(Boolean);
      const m = findingMetrics(c.scores, truth, 0.5, { resamples: 200, seed: 1 });
      expect(m.auroc.value).toBeCloseTo(auroc(c.scores, truth)!, 12);
      const positives = c.scores.filter((_, i) => truth[i]);
      const negatives = c.scores.filter((_, i) => !truth[i]);
      expect(m.sensitivity.value).toBeCloseTo(positives.filter((p) => p >= 0.5).length / positives.length, 12);
      expect(m.specificity.value).toBeCloseTo(negatives.filter((p) => p < 0.5).length / negatives.length, 12);
      expect(m.auroc.ciLow!).toBeLessThanOrEqual(m.auroc.ciHigh!);
    }
  });

  it('resamples a finding of 10,000 images (1,000 times) within seconds', () => {
    const rng = (seed: number) => () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const r = rng(5);
    const truth = Array.from({ length: 10_000 }, () => r() < 0.2);
    const probability = truth.map((t) => Math.round(((t ? 0.3 : 0) + 0.7 * r()) * 1000) / 1000);
    const t0 = performance.now();
    const m = findingMetrics(probability, truth, 0.5);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(m.auroc.value!).toBeGreaterThan(0.6);
    expect(m.auroc.ciHigh! - m.auroc.ciLow!).toBeLessThan(0.05);
  });

  it('leaves what one class cannot define as null', () => {
    const m = findingMetrics([0.2, 0.8], [true, true], 0.5, { resamples: 50 });
    expect(m.auroc).toEqual({ value: null, ciLow: null, ciHigh: null });
    expect(m.specificity.value).toBeNull();
    expect(m.sensitivity.value).toBe(0.5);
  });
});
