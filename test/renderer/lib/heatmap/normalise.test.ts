import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/main/engine/random/rng';
import { displayRange, rangeForColormap, sharedDisplayRange, unitTransform, type NormaliseMode } from '../../../../src/renderer/src/lib/heatmap/normalise';
import { magnitudePercentile } from '../../../../src/renderer/src/lib/heatmap/percentile';

/** The magnitudes of a map, sorted: the brute-force reference's one expensive step. */
function sortedMagnitudes(values: ArrayLike<number>, magnitude: 'abs' | 'positive'): Float32Array {
  return Float32Array.from(values, (v) => (!Number.isFinite(v) ? 0 : magnitude === 'abs' ? Math.abs(v) : Math.max(v, 0))).sort();
}

/** numpy.percentile (linear) on a sorted copy: the brute-force reference. */
function bruteForce(values: ArrayLike<number>, p: number, magnitude: 'abs' | 'positive'): number {
  return percentileOfSorted(sortedMagnitudes(values, magnitude), p);
}

function percentileOfSorted(m: Float32Array, p: number): number {
  if (m.length === 0) return 0;
  const position = (p / 100) * (m.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, m.length - 1);
  return m[below]! + (position - below) * (m[above]! - m[below]!);
}

function randomMap(rng: Rng, n: number, kind: 'normal' | 'heavy' | 'sparse' | 'ties'): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (kind === 'normal') out[i] = rng.normal();
    // Gradient-like: most values tiny, a few huge (the case percentile clipping is for).
    else if (kind === 'heavy') out[i] = rng.normal() * Math.exp(4 * rng.normal()) * 1e-4;
    else if (kind === 'sparse') out[i] = rng.uniform() < 0.9 ? 0 : rng.normal();
    else out[i] = rng.int(7) - 3;
  }
  return out;
}

describe('magnitudePercentile', () => {
  const rng = new Rng(20250101);

  // One sort per map and magnitude (not per percentile): sorting dominated this test's time.
  it.each(['normal', 'heavy', 'sparse', 'ties'] as const)('equals a brute-force sort on random %s data, for every mode and many percentiles', (kind) => {
    for (const n of [1, 2, 7, 300, 5000, 70_001]) {
      const map = randomMap(rng, n, kind);
      for (const magnitude of ['abs', 'positive'] as const) {
        const sorted = sortedMagnitudes(map, magnitude);
        for (const p of [0.1, 1, 25, 50, 90, 99, 99.5, 99.9, 100]) {
          expect(magnitudePercentile([map], p, magnitude), `${kind} n=${n} p=${p} ${magnitude}`).toBe(percentileOfSorted(sorted, p));
        }
      }
    }
  });

  it('pools several maps as if they were one', () => {
    const maps = [randomMap(rng, 1000, 'heavy'), randomMap(rng, 3333, 'normal'), randomMap(rng, 17, 'ties')];
    const pooled = Float32Array.from(maps.flatMap((m) => Array.from(m)));
    for (const p of [50, 99.5, 100]) expect(magnitudePercentile(maps, p, 'abs')).toBe(bruteForce(pooled, p, 'abs'));
  });

  it('counts NaN and infinities as 0, as the engine does', () => {
    const map = Float32Array.of(NaN, Infinity, -Infinity, 1, 2, 3, -4, NaN);
    for (const p of [10, 50, 90, 100]) expect(magnitudePercentile([map], p, 'abs')).toBe(bruteForce(map, p, 'abs'));
  });

  it('handles constant maps, empty maps and values closer together than any bin', () => {
    expect(magnitudePercentile([new Float32Array(1000).fill(2.5)], 99.5, 'abs')).toBe(2.5);
    expect(magnitudePercentile([new Float32Array(0)], 50, 'abs')).toBe(0);
    const tight = Float32Array.from({ length: 5000 }, (_, i) => 1 + i * 2 ** -23);
    expect(magnitudePercentile([tight], 37, 'abs')).toBe(bruteForce(tight, 37, 'abs'));
    const subnormal = Float32Array.from({ length: 1000 }, (_, i) => (i % 3) * 1e-45);
    expect(magnitudePercentile([subnormal], 50, 'abs')).toBe(bruteForce(subnormal, 50, 'abs'));
  });

  it('rejects percentiles outside (0, 100]', () => {
    expect(() => magnitudePercentile([Float32Array.of(1)], 0, 'abs')).toThrow(RangeError);
    expect(() => magnitudePercentile([Float32Array.of(1)], 101, 'abs')).toThrow(RangeError);
  });

  // Its speed (a few ms on 512 x 512, against 100+ ms for a sorted copy) is measured in the
  // benchmark: `npm run bench -- heatmap`.
  it('is exact on a full-size 512 x 512 gradient-like map, where the radix rounds all run', () => {
    const map = randomMap(rng, 512 * 512, 'heavy');
    const sorted = sortedMagnitudes(map, 'abs');
    for (const p of [50, 99, 99.5, 100]) expect(magnitudePercentile([map], p, 'abs'), `p=${p}`).toBe(percentileOfSorted(sorted, p));
  });
});

describe('displayRange', () => {
  const rng = new Rng(7);

  it('spans the brute-force percentile of |v| (or of max(v, 0) for positive) in every mode', () => {
    for (const kind of ['normal', 'heavy', 'sparse'] as const) {
      const map = randomMap(rng, 20_000, kind);
      for (const mode of ['absolute', 'signed', 'positive'] as NormaliseMode[]) {
        for (const percentile of [90, 99.5, 100]) {
          const range = displayRange(map, { mode, percentile });
          const magnitude = mode === 'positive' ? 'positive' : 'abs';
          // A zero percentile (a sparse map) falls back to the maximum.
          const scale = bruteForce(map, percentile, magnitude) || bruteForce(map, 100, magnitude);
          expect(range.max, `${kind} ${mode} ${percentile}`).toBe(scale);
          expect(range.min).toBe(mode === 'signed' ? -scale : 0);
          expect(range.mode).toBe(mode);
        }
      }
    }
  });

  it('absolute and signed use |v|, positive clips negatives', () => {
    const map = Float32Array.of(-10, -1, 0, 1, 2);
    expect(displayRange(map, { mode: 'absolute', percentile: 100 })).toEqual({ mode: 'absolute', min: 0, max: 10 });
    expect(displayRange(map, { mode: 'signed', percentile: 100 })).toEqual({ mode: 'signed', min: -10, max: 10 });
    expect(displayRange(map, { mode: 'positive', percentile: 100 })).toEqual({ mode: 'positive', min: 0, max: 2 });
    // Default percentile 99.5 on 5 values: position 3.98 between |v| = 2 and 10.
    expect(displayRange(map, { mode: 'absolute' }).max).toBeCloseTo(2 + 0.98 * 8, 5);
  });

  it('a map that is zero almost everywhere scales to its maximum; a zero map gets span 1', () => {
    const sparse = new Float32Array(10_000);
    sparse[5] = 3;
    expect(displayRange(sparse, { mode: 'absolute' }).max).toBe(3);
    expect(displayRange(new Float32Array(16), { mode: 'signed' })).toEqual({ mode: 'signed', min: -1, max: 1 });
    expect(displayRange(Float32Array.of(-1, -2), { mode: 'positive' })).toEqual({ mode: 'positive', min: 0, max: 1 });
  });

  it('shared ranges cover all maps together, so a weaker map looks weaker', () => {
    const strong = Float32Array.from({ length: 100 }, (_, i) => i);
    const weak = Float32Array.from({ length: 100 }, (_, i) => i / 10);
    const shared = sharedDisplayRange([strong, weak], { mode: 'absolute', percentile: 100 });
    expect(shared.max).toBe(99);
    expect(displayRange(weak, { mode: 'absolute', percentile: 100 }).max).toBeCloseTo(9.9, 5);
  });

  it('diverging colormaps centre the range on 0; sequential ones keep it', () => {
    const magnitudes = { mode: 'absolute' as const, min: 0, max: 4 };
    expect(rangeForColormap(magnitudes, 'diverging')).toEqual({ mode: 'absolute', min: -4, max: 4 });
    expect(rangeForColormap(magnitudes, 'sequential')).toBe(magnitudes);
    const signed = { mode: 'signed' as const, min: -4, max: 4 };
    expect(rangeForColormap(signed, 'diverging')).toBe(signed);
  });

  it('unitTransform maps min..max to 0..1 and takes |v| only in absolute mode', () => {
    expect(unitTransform({ mode: 'signed', min: -2, max: 2 })).toEqual({ scale: 0.25, offset: 0.5, magnitude: false });
    expect(unitTransform({ mode: 'absolute', min: 0, max: 4 })).toEqual({ scale: 0.25, offset: -0, magnitude: true });
    expect(unitTransform({ min: 3, max: 3 })).toEqual({ scale: 0, offset: 0, magnitude: false });
  });
});
