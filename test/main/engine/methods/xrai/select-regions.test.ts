import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { regionRanks, selectRegions, topRegionsMask } from '../../../../../src/main/engine/methods/xrai/select-regions';

const fixture = JSON.parse(readFileSync(new URL('../../../../fixtures/numeric/xrai-selection.json', import.meta.url), 'utf8')) as {
  attribution: number[];
  masks: number[][];
  full: { heatmap: number[]; ranks: number[] };
  fast: { heatmap: number[]; ranks: number[] };
  minPixelDiff: number;
};

const attribution = Float32Array.from(fixture.attribution);
const masks = fixture.masks.map((m) => Uint32Array.from(m));

describe('XRAI region selection', () => {
  it.each(['full', 'fast'] as const)('%s: heatmap and ranks match the independent Python implementation', (algorithm) => {
    const { heatmap, regions } = selectRegions(attribution, masks, { minPixelDiff: fixture.minPixelDiff, algorithm });
    fixture[algorithm].heatmap.forEach((v, i) => expect(heatmap[i]).toBeCloseTo(v, 5));
    expect([...regionRanks(regions, attribution.length)]).toEqual(fixture[algorithm].ranks);
  });

  it('regions are disjoint, cover the image, and are ordered by gain', () => {
    const { regions } = selectRegions(attribution, masks, { minPixelDiff: fixture.minPixelDiff, algorithm: 'full' });
    const seen = new Uint8Array(attribution.length);
    for (const r of regions) {
      for (const p of r.pixels) {
        expect(seen[p]).toBe(0);
        seen[p] = 1;
      }
    }
    expect(seen.every((v) => v === 1)).toBe(true);
    const gains = regions.slice(0, -1).map((r) => r.gain);
    expect([...gains].sort((a, b) => b - a)).toEqual(gains);
  });

  it('the top region has the highest attribution density', () => {
    const { regions } = selectRegions(attribution, masks, { minPixelDiff: 1, algorithm: 'full' });
    const density = (pixels: Uint32Array): number => pixels.reduce((s, p) => s + attribution[p]!, 0) / pixels.length;
    for (const r of regions.slice(1)) expect(density(regions[0]!.pixels)).toBeGreaterThanOrEqual(density(r.pixels));
  });

  it('the mask for an area threshold takes whole regions until the area is reached; cumulative area is monotone', () => {
    const { regions } = selectRegions(attribution, masks, { minPixelDiff: fixture.minPixelDiff, algorithm: 'full' });
    let previous = 0;
    for (const t of [0.01, 0.05, 0.1, 0.3, 0.5, 1]) {
      const { mask, area } = topRegionsMask(regions, attribution.length, t);
      expect(area).toBeGreaterThanOrEqual(Math.min(t, 1) - 1e-12);
      expect(area).toBeGreaterThanOrEqual(previous);
      previous = area;
      expect(mask.reduce((s, v) => s + v, 0) / mask.length).toBeCloseTo(area, 10);
    }
    expect(topRegionsMask(regions, attribution.length, 1).area).toBe(1);
  });

  it('is deterministic', () => {
    const a = selectRegions(attribution, masks, { minPixelDiff: 10, algorithm: 'full' });
    const b = selectRegions(attribution, masks, { minPixelDiff: 10, algorithm: 'full' });
    expect(a.heatmap).toEqual(b.heatmap);
  });
});
