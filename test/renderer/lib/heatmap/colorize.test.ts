import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/main/engine/random/rng';
import { colorize } from '../../../../src/renderer/src/lib/heatmap/colorize';
import { getColormap, type ColormapId } from '../../../../src/renderer/src/lib/heatmap/colormaps';
import { displayRange, rangeForColormap, unitTransform, type DisplayRange } from '../../../../src/renderer/src/lib/heatmap/normalise';
import { selectXraiRegions } from '../../../../src/renderer/src/lib/heatmap/xrai-mask';

/** The colour rule written out pixel by pixel, straight from the range (the reference). */
function reference(map: Float32Array, colormap: ColormapId, range: DisplayRange, opacity: number, inside?: (p: number) => boolean, outsideOpacity = 0): Uint8Array {
  const { lut, kind } = getColormap(colormap);
  const { min, max } = rangeForColormap(range, kind);
  const out = new Uint8Array(map.length * 4);
  for (let p = 0; p < map.length; p++) {
    if (inside && !inside(p)) {
      out.set([0, 0, 0, Math.round(outsideOpacity * 255)], p * 4);
      continue;
    }
    const v = range.mode === 'absolute' ? Math.abs(map[p]!) : map[p]!;
    const t = Math.min(Math.max((v - min) / (max - min), 0), 1);
    const entry = Math.round(t * 255);
    out.set([lut[entry * 3]!, lut[entry * 3 + 1]!, lut[entry * 3 + 2]!, Math.round(opacity * 255)], p * 4);
  }
  return out;
}

function run(map: Float32Array, colormap: ColormapId, range: DisplayRange, opacity: number, mask?: Parameters<typeof colorize>[1]['mask'], outsideOpacity = 0): Uint8ClampedArray {
  const { lut, kind } = getColormap(colormap);
  const out = new Uint8ClampedArray(map.length * 4);
  colorize(map, { lut, transform: unitTransform(rangeForColormap(range, kind)), opacity, mask, outsideOpacity }, out);
  return out;
}

/** Pixels whose colour differs from the reference, and the largest LUT-entry step among them. */
function mismatches(got: Uint8ClampedArray, want: Uint8Array): number {
  let count = 0;
  for (let p = 0; p < want.length / 4; p++) {
    if (got[p * 4] !== want[p * 4] || got[p * 4 + 1] !== want[p * 4 + 1] || got[p * 4 + 2] !== want[p * 4 + 2] || got[p * 4 + 3] !== want[p * 4 + 3]) count++;
  }
  return count;
}

describe('colorize (the Canvas 2D pixel loop)', () => {
  it('hand example: the range ends hit the LUT ends, beyond clamps, the middle is entry 128', () => {
    const { lut } = getColormap('viridis');
    const map = Float32Array.of(0, 4, 2, -1, 9);
    const out = run(map, 'viridis', { mode: 'positive', min: 0, max: 4 }, 0.5);
    const rgba = (entry: number) => [lut[entry * 3], lut[entry * 3 + 1], lut[entry * 3 + 2], 128];
    expect(Array.from(out.subarray(0, 4))).toEqual(rgba(0));
    expect(Array.from(out.subarray(4, 8))).toEqual(rgba(255));
    expect(Array.from(out.subarray(8, 12))).toEqual(rgba(128));
    expect(Array.from(out.subarray(12, 16))).toEqual(rgba(0));
    expect(Array.from(out.subarray(16, 20))).toEqual(rgba(255));
  });

  it('absolute mode colours -v like v; signed mode puts 0 at the white centre of a diverging map', () => {
    const abs = run(Float32Array.of(-3, 3), 'magma', { mode: 'absolute', min: 0, max: 3 }, 1);
    expect(Array.from(abs.subarray(0, 4))).toEqual(Array.from(abs.subarray(4, 8)));
    const signed = run(Float32Array.of(0), 'rdbu', { mode: 'signed', min: -2, max: 2 }, 1);
    expect(Math.min(...signed.subarray(0, 3))).toBeGreaterThan(240);
    // A magnitude range on a diverging map uses its upper half: 0 is white there too.
    const half = run(Float32Array.of(0, 5), 'coolwarm', { mode: 'absolute', min: 0, max: 5 }, 1);
    const { lut } = getColormap('coolwarm');
    expect(Array.from(half.subarray(0, 3))).toEqual(Array.from(lut.subarray(128 * 3, 128 * 3 + 3)));
    expect(Array.from(half.subarray(4, 7))).toEqual(Array.from(lut.subarray(255 * 3, 256 * 3)));
  });

  it('matches the per-pixel reference on random maps, every colormap and mode', () => {
    const rng = new Rng(11);
    const map = Float32Array.from({ length: 64 * 48 }, () => rng.normal() * 3);
    for (const colormap of ['viridis', 'magma', 'inferno', 'cividis', 'gray', 'coolwarm', 'rdbu'] as const) {
      for (const mode of ['absolute', 'signed', 'positive'] as const) {
        const range = displayRange(map, { mode, percentile: 98 });
        const opacity = rng.uniform();
        const got = run(map, colormap, range, opacity);
        const want = reference(map, colormap, range, opacity);
        // v * scale + offset and (v - min) / (max - min) can round differently exactly at an
        // entry boundary; that is one entry (invisible), and rare.
        expect(mismatches(got, want), `${colormap} ${mode}`).toBeLessThanOrEqual(2);
      }
    }
  });

  it('with an XRAI mask: colours inside, the black veil (or nothing) outside', () => {
    const rng = new Rng(12);
    const W = 40;
    const H = 30;
    const map = Float32Array.from({ length: W * H }, () => rng.normal());
    const ranks = Int32Array.from({ length: W * H }, (_, p) => 1 + Math.floor((p % W) / 10) + 4 * Math.floor(p / W / 10));
    const list = Array.from({ length: 12 }, (_, i) => ({ rank: i + 1, gain: 12 - i, area: 100, cumulativeArea: ((i + 1) * 100) / (W * H) }));
    const selection = selectXraiRegions({ ranks, list }, 0.2);
    expect(selection.regionCount).toBe(3);
    const range = displayRange(map, { mode: 'signed' });
    for (const outsideOpacity of [0, 0.7]) {
      const got = run(map, 'coolwarm', range, 0.6, selection, outsideOpacity);
      const want = reference(map, 'coolwarm', range, 0.6, (p) => ranks[p]! <= 3, outsideOpacity);
      expect(mismatches(got, want)).toBeLessThanOrEqual(1);
      expect(got[(W * H - 1) * 4 + 3]).toBe(Math.round(outsideOpacity * 255));
    }
  });

  // Its speed (about 1 ms for 512 x 512) is measured in the benchmark: `npm run bench -- heatmap`.
  it('a full 512 x 512 map, reusing the packed-colour buffer, matches the reference with and without an XRAI mask', () => {
    const rng = new Rng(13);
    const map = Float32Array.from({ length: 512 * 512 }, () => rng.normal());
    const range = displayRange(map, { mode: 'absolute' });
    const { lut } = getColormap('inferno');
    const packed = new Uint32Array(256);
    const out = new Uint8ClampedArray(map.length * 4);
    colorize(map, { lut, transform: unitTransform(range), opacity: 0.6 }, out, packed);
    expect(mismatches(out, reference(map, 'inferno', range, 0.6))).toBeLessThanOrEqual(map.length * 1e-4);
    const ranks = Int32Array.from({ length: map.length }, (_, p) => 1 + (p % 97));
    const mask = { ranks, included: new Uint8Array(98).fill(1, 0, 40) };
    colorize(map, { lut, transform: unitTransform(range), opacity: 0.6, mask }, out, packed);
    expect(mismatches(out, reference(map, 'inferno', range, 0.6, (p) => ranks[p]! < 40))).toBeLessThanOrEqual(map.length * 1e-4);
  });
});
