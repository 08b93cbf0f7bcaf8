import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noisyLinearImputation } from '../../../../../src/main/engine/metrics/functions/noisy-linear-imputation';
import { Rng } from '../../../../../src/main/engine/random/rng';

interface RoadCase {
  name: string;
  channels: number;
  height: number;
  width: number;
  image: number[];
  remove: number[];
  expected: number[];
}

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../../../fixtures/metrics/road-imputation.json'), 'utf8')) as { cases: RoadCase[] };

/** C x H x W (channels first) to H x W x C (channels last). */
function toNhwc(chw: ArrayLike<number>, channels: number, pixels: number): Float32Array {
  const out = new Float32Array(channels * pixels);
  for (let c = 0; c < channels; c++) for (let p = 0; p < pixels; p++) out[p * channels + c] = chw[c * pixels + p]!;
  return out;
}

/** A seeded uniform image and a mask removing about `fraction` of the pixels. */
function randomCase(channels: number, height: number, width: number, fraction: number, seed: number): { image: Float32Array; remove: Uint8Array } {
  const rng = new Rng(seed);
  const image = Float32Array.from({ length: channels * height * width }, () => rng.uniform() * 2 - 1);
  const remove = Uint8Array.from({ length: height * width }, () => (rng.uniform() < fraction ? 1 : 0));
  return { image, remove };
}

describe('noisyLinearImputation', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('matches the scipy spsolve reference: %s', (_name, c) => {
    const pixels = c.height * c.width;
    const remove = Uint8Array.from(c.remove);
    const nchw = noisyLinearImputation(Float32Array.from(c.image), 'NCHW', c.channels, c.height, c.width, remove, { noise: 0 });
    const nhwc = noisyLinearImputation(toNhwc(c.image, c.channels, pixels), 'NHWC', c.channels, c.height, c.width, remove, { noise: 0 });
    const expectedNhwc = toNhwc(c.expected, c.channels, pixels);
    for (let i = 0; i < c.expected.length; i++) {
      expect(Math.abs(nchw[i]! - c.expected[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(c.expected[i]!)));
      expect(Math.abs(nhwc[i]! - expectedNhwc[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(expectedNhwc[i]!)));
    }
  });

  it('covers several channels, one channel, blocks on the border and a fully removed image', () => {
    const names = fixture.cases.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['random-12x15-c3', 'border-blocks-12x15-c3', 'random-9x11-c1', 'all-removed-4x5']));
    const border = fixture.cases.find((c) => c.name === 'border-blocks-12x15-c3')!;
    expect(border.remove[14]).toBe(1); // the top-right corner is removed
    expect(fixture.cases.find((c) => c.name === 'random-9x11-c1')!.channels).toBe(1);
  });

  it('leaves kept pixels bit for bit unchanged and returns a new array', () => {
    const { image, remove } = randomCase(3, 20, 17, 0.5, 1);
    const before = image.slice();
    const out = noisyLinearImputation(image, 'NCHW', 3, 20, 17, remove, { noise: 0.1, rng: new Rng(2) });
    expect(out).not.toBe(image);
    expect(image).toEqual(before);
    let changed = 0;
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < 20 * 17; p++) {
        const i = c * 20 * 17 + p;
        if (remove[p] === 0) expect(Object.is(out[i], image[i])).toBe(true);
        else if (out[i] !== image[i]) changed++;
      }
    }
    expect(changed).toBeGreaterThan(0);
  });

  it('gives the same result in NCHW and NHWC, noise included', () => {
    const { image, remove } = randomCase(3, 16, 21, 0.6, 3);
    const pixels = 16 * 21;
    const nchw = noisyLinearImputation(image, 'NCHW', 3, 16, 21, remove, { noise: 0.01, rng: new Rng(4) });
    const nhwc = noisyLinearImputation(toNhwc(image, 3, pixels), 'NHWC', 3, 16, 21, remove, { noise: 0.01, rng: new Rng(4) });
    expect(nhwc).toEqual(toNhwc(nchw, 3, pixels));
  });

  it('adds Gaussian noise of the requested standard deviation to the imputed pixels only', () => {
    const { image, remove } = randomCase(3, 48, 40, 0.5, 5);
    const pixels = 48 * 40;
    const clean = noisyLinearImputation(image, 'NCHW', 3, 48, 40, remove, { noise: 0 });
    const noisy = noisyLinearImputation(image, 'NCHW', 3, 48, 40, remove, { noise: 0.05, rng: new Rng(6) });
    const deltas: number[] = [];
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < pixels; p++) {
        const i = c * pixels + p;
        if (remove[p] === 1) deltas.push(noisy[i]! - clean[i]!);
        else expect(noisy[i]).toBe(clean[i]);
      }
    }
    expect(deltas.length).toBeGreaterThan(2500);
    const mean = deltas.reduce((s, d) => s + d, 0) / deltas.length;
    const sd = Math.sqrt(deltas.reduce((s, d) => s + (d - mean) ** 2, 0) / (deltas.length - 1));
    expect(Math.abs(mean)).toBeLessThan(4 * 0.05 / Math.sqrt(deltas.length));
    expect(Math.abs(sd / 0.05 - 1)).toBeLessThan(0.05);
    // Seeded: the same seed gives the same image.
    expect(noisyLinearImputation(image, 'NCHW', 3, 48, 40, remove, { noise: 0.05, rng: new Rng(6) })).toEqual(noisy);
  });

  it('adds no noise when noise is 0 or no rng is given', () => {
    const { image, remove } = randomCase(2, 10, 12, 0.4, 7);
    const clean = noisyLinearImputation(image, 'NHWC', 2, 10, 12, remove, { noise: 0 });
    expect(noisyLinearImputation(image, 'NHWC', 2, 10, 12, remove, { noise: 0, rng: new Rng(8) })).toEqual(clean);
    expect(noisyLinearImputation(image, 'NHWC', 2, 10, 12, remove, { noise: 0.5 })).toEqual(clean);
  });

  it('keeps a constant image constant', () => {
    const image = new Float32Array(2 * 9 * 8).fill(0.375);
    const { remove } = randomCase(1, 9, 8, 0.7, 9);
    remove[4 * 8 + 3] = 1;
    const out = noisyLinearImputation(image, 'NCHW', 2, 9, 8, remove, { noise: 0 });
    for (const v of out) expect(v).toBeCloseTo(0.375, 6);
  });

  it('imputes one removed pixel as the 1/6-1/12 weighted average of its neighbours', () => {
    // 4 x 5 image, values v(y, x) = 10 y + x + y^2 / 7 (not linear, so no symmetry hides a wrong weight).
    const v = (y: number, x: number): number => 10 * y + x + (y * y) / 7 + (x * x * x) / 11;
    const height = 4;
    const width = 5;
    const image = Float32Array.from({ length: height * width }, (_, p) => v(Math.floor(p / width), p % width));
    const at = (y: number, x: number): number => image[y * width + x]!;
    const impute = (y: number, x: number): number => {
      const remove = new Uint8Array(height * width);
      remove[y * width + x] = 1;
      return noisyLinearImputation(image, 'NCHW', 1, height, width, remove, { noise: 0 })[y * width + x]!;
    };
    // Interior pixel: the weights sum to 1.
    const interior = (at(1, 1) + at(1, 3) + at(3, 1) + at(3, 3)) / 12 + (at(1, 2) + at(3, 2) + at(2, 1) + at(2, 3)) / 6;
    expect(impute(2, 2)).toBeCloseTo(interior, 5);
    // Corner pixel: 3 neighbours, renormalised by 1/6 + 1/6 + 1/12 = 5/12.
    const corner = (at(0, 1) / 6 + at(1, 0) / 6 + at(1, 1) / 12) / (5 / 12);
    expect(impute(0, 0)).toBeCloseTo(corner, 5);
    // Pixel on the bottom edge: 5 neighbours, renormalised by 2/3.
    const edge = ((at(3, 1) + at(3, 3) + at(2, 2)) / 6 + (at(2, 1) + at(2, 3)) / 12) / (2 / 3);
    expect(impute(3, 2)).toBeCloseTo(edge, 5);
  });

  it('reproduces a linear ramp inside an interior removed block', () => {
    // The stencil is symmetric, so a linear function is its own weighted average.
    const height = 12;
    const width = 14;
    const ramp = (y: number, x: number): number => 0.3 * y - 0.2 * x + 1;
    const image = Float32Array.from({ length: height * width }, (_, p) => ramp(Math.floor(p / width), p % width));
    const remove = new Uint8Array(height * width);
    for (let y = 3; y <= 8; y++) for (let x = 2; x <= 10; x++) remove[y * width + x] = 1;
    const out = noisyLinearImputation(image, 'NHWC', 1, height, width, remove, { noise: 0 });
    for (let p = 0; p < height * width; p++) expect(out[p]).toBeCloseTo(ramp(Math.floor(p / width), p % width), 5);
  });

  it('fills a fully removed image with 0 (what spsolve returns), plus the noise', () => {
    const image = Float32Array.from({ length: 3 * 5 * 6 }, (_, i) => 1 + i / 10);
    const remove = new Uint8Array(5 * 6).fill(1);
    expect(Array.from(noisyLinearImputation(image, 'NCHW', 3, 5, 6, remove, { noise: 0 }))).toEqual(new Array<number>(90).fill(0));
    expect(Array.from(noisyLinearImputation(Float32Array.of(7, 8), 'NHWC', 2, 1, 1, Uint8Array.of(1), { noise: 0 }))).toEqual([0, 0]);
    const noisy = noisyLinearImputation(image, 'NCHW', 3, 5, 6, remove, { noise: 0.01, rng: new Rng(10) });
    for (const value of noisy) expect(Math.abs(value)).toBeLessThan(0.06);
    expect(new Set(noisy).size).toBe(90);
  });

  it('returns a copy when nothing is removed', () => {
    const image = Float32Array.of(1, 2, 3, 4);
    const out = noisyLinearImputation(image, 'NCHW', 1, 2, 2, new Uint8Array(4), { noise: 0.1, rng: new Rng(1) });
    expect(out).toEqual(image);
    expect(out).not.toBe(image);
  });

  it('handles a single row and a single column', () => {
    const row = noisyLinearImputation(Float32Array.of(1, 0, 3, 0, 0, 6), 'NCHW', 1, 1, 6, Uint8Array.of(0, 1, 0, 1, 1, 0), { noise: 0 });
    // 1-D: each removed value is the mean of its left and right neighbours, so linear interpolation.
    expect(Array.from(row).map((v) => Number(v.toFixed(5)))).toEqual([1, 2, 3, 4, 5, 6]);
    const column = noisyLinearImputation(Float32Array.of(2, 0, 0), 'NHWC', 1, 3, 1, Uint8Array.of(0, 1, 1), { noise: 0 });
    expect(Array.from(column).map((v) => Number(v.toFixed(5)))).toEqual([2, 2, 2]);
  });

  it('solves a 224 x 224 x 3 image with half the pixels removed in one large block', () => {
    const height = 224;
    const width = 224;
    const rng = new Rng(11);
    const image = Float32Array.from({ length: 3 * height * width }, () => rng.uniform());
    const remove = new Uint8Array(height * width);
    for (let y = 0; y < height; y++) for (let x = 0; x < width / 2; x++) remove[y * width + x] = 1;
    const out = noisyLinearImputation(image, 'NCHW', 3, height, width, remove, { noise: 0 });
    // The solution satisfies every equation: s_i x_i = sum_j w_ij x_j.
    let worst = 0;
    for (let c = 0; c < 3; c++) {
      const value = (y: number, x: number): number => out[c * height * width + y * width + x]!;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width / 2; x++) {
          let s = 0;
          let sum = 0;
          for (let dy = -1; dy <= 1; dy++) {
            for (let dx = -1; dx <= 1; dx++) {
              if ((dy === 0 && dx === 0) || y + dy < 0 || y + dy >= height || x + dx < 0 || x + dx >= width) continue;
              const w = dy === 0 || dx === 0 ? 1 / 6 : 1 / 12;
              s += w;
              sum += w * value(y + dy, x + dx);
            }
          }
          worst = Math.max(worst, Math.abs(value(y, x) - sum / s));
        }
      }
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('rejects bad sizes, masks, values and options with invalid-argument', () => {
    const image = new Float32Array(2 * 3 * 4);
    const remove = new Uint8Array(12);
    remove[5] = 1;
    const call = (overrides: { image?: Float32Array; layout?: string; channels?: number; height?: number; width?: number; remove?: Uint8Array; noise?: number }) => () =>
      noisyLinearImputation(
        overrides.image ?? image,
        (overrides.layout ?? 'NCHW') as 'NCHW' | 'NHWC',
        overrides.channels ?? 2,
        overrides.height ?? 3,
        overrides.width ?? 4,
        overrides.remove ?? remove,
        { noise: overrides.noise ?? 0 },
      );
    const invalid = expect.objectContaining({ name: 'LumenError', code: 'invalid-argument' });
    expect(call({})).not.toThrow();
    expect(call({ image: new Float32Array(23) })).toThrow(invalid);
    expect(call({ image: new Float32Array(23) })).toThrow(/has 23 values/);
    expect(call({ remove: new Uint8Array(11) })).toThrow(/mask has 11 values/);
    expect(call({ remove: Uint8Array.of(0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0) })).toThrow(/holds 2 at pixel 2/);
    expect(call({ channels: 0 })).toThrow(invalid);
    expect(call({ height: 1.5 })).toThrow(/height must be a positive integer/);
    expect(call({ layout: 'CHW' })).toThrow(/unknown layout/);
    expect(call({ noise: -0.1 })).toThrow(/noise/);
    expect(call({ noise: Number.NaN })).toThrow(invalid);
    const nan = image.slice();
    nan[7] = Number.NaN;
    expect(call({ image: nan })).toThrow(/NaN at element 7/);
    const inf = image.slice();
    inf[3] = Number.NEGATIVE_INFINITY;
    expect(call({ image: inf })).toThrow(/infinite value at element 3/);
  });
});
