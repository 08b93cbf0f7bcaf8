import { describe, expect, it } from 'vitest';
import { regionRanks, selectRegions, topRegionsMask, type XraiRegion } from '../../../../src/main/engine/methods/xrai/select-regions';
import { Rng } from '../../../../src/main/engine/random/rng';
import { binaryMask, insideMask, maskPixels, selectXraiRegions, type XraiRegions } from '../../../../src/renderer/src/lib/heatmap/xrai-mask';

/** The `regions` an XRAI result carries, built from the engine's own functions as xrai.ts does. */
function resultRegions(regions: XraiRegion[], pixelCount: number): XraiRegions {
  let cumulative = 0;
  const list = regions.map((r, i) => {
    cumulative += r.pixels.length;
    return { rank: i + 1, gain: r.gain, area: r.pixels.length, cumulativeArea: cumulative / pixelCount };
  });
  return { ranks: regionRanks(regions, pixelCount), list };
}

/** Engine-selected regions over random overlapping square masks on a W x H image. */
function engineRegions(rng: Rng, W: number, H: number, maskCount: number): XraiRegion[] {
  const attribution = Float32Array.from({ length: W * H }, () => rng.normal());
  const masks: Uint32Array[] = [];
  for (let m = 0; m < maskCount; m++) {
    const size = 2 + rng.int(Math.min(W, H) / 2);
    const x0 = rng.int(W - size);
    const y0 = rng.int(H - size);
    const pixels: number[] = [];
    for (let y = y0; y < y0 + size; y++) for (let x = x0; x < x0 + size; x++) pixels.push(y * W + x);
    masks.push(Uint32Array.from(pixels));
  }
  return selectRegions(attribution, masks, { minPixelDiff: 3, algorithm: 'full' }).regions;
}

describe('selectXraiRegions', () => {
  it("picks exactly the pixels of the engine's areaThreshold mask, with the same area", () => {
    const rng = new Rng(99);
    for (let trial = 0; trial < 6; trial++) {
      const W = 24 + trial * 5;
      const H = 20 + trial * 3;
      const regions = engineRegions(rng, W, H, 30 + trial * 10);
      const result = resultRegions(regions, W * H);
      // Every slider stop, plus thresholds exactly at each cumulative area (the ties).
      const thresholds = [...Array.from({ length: 100 }, (_, i) => (i + 1) / 100), ...result.list.map((r) => r.cumulativeArea)];
      for (const threshold of thresholds) {
        const engine = topRegionsMask(regions, W * H, threshold);
        const ui = selectXraiRegions(result, threshold);
        expect(Array.from(maskPixels(ui)), `threshold ${threshold}`).toEqual(Array.from(engine.mask, (v) => (v ? 1 : 0)));
        expect(ui.fraction, `threshold ${threshold}`).toBe(engine.area);
      }
    }
  });

  it('takes whole regions in rank order until the area reaches the threshold (at least that much)', () => {
    // Four regions of 25%, 25%, 30%, 20% of a 20-pixel image.
    const ranks = Int32Array.from([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4]);
    const list = [
      { rank: 1, gain: 4, area: 5, cumulativeArea: 0.25 },
      { rank: 2, gain: 3, area: 5, cumulativeArea: 0.5 },
      { rank: 3, gain: 2, area: 6, cumulativeArea: 0.8 },
      { rank: 4, gain: 1, area: 4, cumulativeArea: 1 },
    ];
    const at = (t: number) => selectXraiRegions({ ranks, list }, t);
    expect(at(0.01)).toMatchObject({ regionCount: 1, fraction: 0.25 });
    expect(at(0.25)).toMatchObject({ regionCount: 1, fraction: 0.25 });
    expect(at(0.26)).toMatchObject({ regionCount: 2, fraction: 0.5 });
    expect(at(0.5)).toMatchObject({ regionCount: 2, fraction: 0.5 });
    expect(at(0.51)).toMatchObject({ regionCount: 3, fraction: 0.8 });
    expect(at(1)).toMatchObject({ regionCount: 4, fraction: 1 });
    expect(Array.from(at(0.3).included)).toEqual([0, 1, 1, 0, 0]);
    // The list order in the result does not matter: ranks decide.
    expect(selectXraiRegions({ ranks, list: [...list].reverse() }, 0.3).regionCount).toBe(2);
  });

  it('treats rank 0 and negative ranks as outside every mask', () => {
    const regions = { ranks: Int32Array.of(0, -1, 1, 2, 7), list: [{ rank: 1, gain: 1, area: 1, cumulativeArea: 0.2 }, { rank: 2, gain: 0, area: 1, cumulativeArea: 0.4 }] };
    const all = selectXraiRegions(regions, 1);
    expect(Array.from(maskPixels(all))).toEqual([0, 0, 1, 1, 0]);
    expect(all.fraction).toBe(0.4);
    expect(insideMask(all, 2)).toBe(true);
    expect(insideMask(all, 4)).toBe(false);
  });

  it('rejects thresholds outside (0, 1]', () => {
    const regions = { ranks: Int32Array.of(1), list: [{ rank: 1, gain: 1, area: 1, cumulativeArea: 1 }] };
    expect(() => selectXraiRegions(regions, 0)).toThrow(RangeError);
    expect(() => selectXraiRegions(regions, 1.5)).toThrow(RangeError);
  });

  // A slider move's speed is measured in the benchmark: `npm run bench -- heatmap`.
  it('on a 512 x 512 image with 120 regions, each slider stop shows whole regions in rank order covering at least the threshold', () => {
    const rng = new Rng(5);
    const W = 512;
    const ranks = new Int32Array(W * W);
    const regionCount = 120;
    for (let p = 0; p < ranks.length; p++) ranks[p] = 1 + ((Math.floor(p / W / 16) * 7 + Math.floor((p % W) / 16) * 13) % regionCount);
    const areas = new Array<number>(regionCount).fill(0);
    for (const r of ranks) areas[r - 1]!++;
    let cumulative = 0;
    const list = areas.map((area, i) => ({ rank: i + 1, gain: regionCount - i, area, cumulativeArea: (cumulative += area) / ranks.length }));
    const out = new Uint8Array(ranks.length);
    for (let m = 0; m < 10; m++) {
      const threshold = 0.01 + rng.uniform() * 0.99;
      const selection = selectXraiRegions({ ranks, list }, threshold);
      maskPixels(selection, out);
      const shown = out.reduce((n, v) => n + v, 0);
      // The first n regions, n the fewest whose area reaches the threshold.
      const n = list.findIndex((r) => r.cumulativeArea >= threshold) + 1;
      expect(selection.regionCount, `threshold ${threshold}`).toBe(n);
      expect(shown).toBe(Math.round(list[n - 1]!.cumulativeArea * ranks.length));
      for (let p = 0; p < ranks.length; p += 997) expect(out[p]).toBe(ranks[p]! <= n ? 1 : 0);
    }
  });
});

describe('binaryMask', () => {
  it('turns a byte mask into the region form the renderer draws', () => {
    const mask = binaryMask(Uint8Array.of(0, 1, 0, 255));
    expect(Array.from(maskPixels(mask))).toEqual([0, 1, 0, 1]);
  });
});
