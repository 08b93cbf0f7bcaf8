/**
 * The heat-map display's per-interaction costs at 512 x 512 (moved here from the unit tests, which
 * now assert results only): the exact percentile by radix selection against a sorted copy (its
 * baseline), the Canvas 2D colour loop without and with an XRAI mask, a whole display change
 * (range and colours; the budget is a 16 ms frame), and an XRAI slider move.
 */
import { Rng } from '../src/main/engine/random/rng';
import { colorize } from '../src/shared/heatmap/colorize';
import { getColormap } from '../src/shared/heatmap/colormaps';
import { displayRange, rangeForColormap, unitTransform } from '../src/shared/heatmap/normalise';
import { magnitudePercentile } from '../src/shared/heatmap/percentile';
import { maskPixels, selectXraiRegions } from '../src/shared/heatmap/xrai-mask';
import { summarize, time } from './stats';

const W = 512;

const line = (label: string, samples: number[]): void => {
  const t = summarize(samples);
  console.log(`  ${label}: ${t.median.toFixed(2)} ms (p10 ${t.p10.toFixed(2)}, p90 ${t.p90.toFixed(2)})`);
};

export async function benchHeatmap(): Promise<void> {
  const rng = new Rng(13);
  // Gradient-like: most values tiny, a few huge.
  const map = Float32Array.from({ length: W * W }, () => rng.normal() * Math.exp(4 * rng.normal()) * 1e-4);
  console.log(`heat-map display, ${W} x ${W}:`);

  line('percentile 99.5 of |v| (radix selection)', await time(async () => magnitudePercentile([map], 99.5, 'abs'), 20));
  line('  baseline: a sorted copy', await time(async () => Float32Array.from(map, Math.abs).sort(), 5));

  const out = new Uint8ClampedArray(map.length * 4);
  const packed = new Uint32Array(256);
  const { lut } = getColormap('inferno');
  const transform = unitTransform(displayRange(map, { mode: 'absolute' }));
  line('canvas2d colour loop', await time(async () => colorize(map, { lut, transform, opacity: 0.6 }, out, packed), 30, 5));
  const ranks = Int32Array.from({ length: map.length }, (_, p) => 1 + (p % 97));
  const mask = { ranks, included: new Uint8Array(98).fill(1, 0, 40) };
  line('canvas2d colour loop with an XRAI mask', await time(async () => colorize(map, { lut, transform, opacity: 0.6, mask }, out, packed), 30, 5));

  // What a slider move costs the Canvas 2D backend: a new range (percentile) and the colour loop.
  const ids = ['viridis', 'magma', 'inferno', 'cividis', 'gray', 'coolwarm', 'rdbu'] as const;
  let k = 0;
  line(
    'display change (new range + colours; budget 16 ms a frame)',
    await time(async () => {
      k++;
      const colormap = getColormap(ids[k % ids.length]!);
      const range = rangeForColormap(displayRange(map, { mode: k % 2 ? 'signed' : 'absolute', percentile: 95 + (k % 10) / 2 }), colormap.kind);
      colorize(map, { lut: colormap.lut, transform: unitTransform(range), opacity: (k % 10) / 10 }, out, packed);
    }, 40, 10),
  );

  const regionCount = 120;
  const regionRanks = new Int32Array(W * W);
  for (let p = 0; p < regionRanks.length; p++) regionRanks[p] = 1 + ((Math.floor(p / W / 16) * 7 + Math.floor((p % W) / 16) * 13) % regionCount);
  const areas = new Array<number>(regionCount).fill(0);
  for (const r of regionRanks) areas[r - 1]!++;
  let cumulative = 0;
  const list = areas.map((area, i) => ({ rank: i + 1, gain: regionCount - i, area, cumulativeArea: (cumulative += area) / regionRanks.length }));
  const pixels = new Uint8Array(regionRanks.length);
  line(`XRAI slider move (threshold -> per-pixel mask, ${regionCount} regions)`, await time(async () => maskPixels(selectXraiRegions({ ranks: regionRanks, list }, 0.01 + rng.uniform() * 0.99), pixels), 50, 5));
}
