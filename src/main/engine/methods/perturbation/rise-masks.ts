import type { Rng } from '../../random/rng';

/** Source index pair and weight of each output sample of a half-pixel-centred linear upsampling. */
function axis(cells: number, upSize: number, offset: number, size: number): { i0: Int32Array; i1: Int32Array; t: Float32Array } {
  const i0 = new Int32Array(size);
  const i1 = new Int32Array(size);
  const t = new Float32Array(size);
  for (let o = 0; o < size; o++) {
    const s = Math.min(cells - 1, Math.max(0, ((o + offset + 0.5) * cells) / upSize - 0.5));
    i0[o] = Math.floor(s);
    i1[o] = Math.min(cells - 1, i0[o]! + 1);
    t[o] = s - i0[o]!;
  }
  return { i0, i1, t };
}

/**
 * One RISE mask (Petsiuk et al. 2018): a cells x cells grid of Bernoulli(p) values, upsampled
 * bilinearly to (cells + 1) x cell size, then cropped at a random offset within one cell: smooth
 * masks whose cell boundaries do not all fall on the same pixels. The upsampling is separable:
 * the grid rows are interpolated along x once, then the image rows between them.
 */
export function riseMask(rng: Rng, cells: number, probability: number, height: number, width: number, out: Float32Array): Float32Array {
  const grid = new Float32Array(cells * cells);
  for (let i = 0; i < grid.length; i++) grid[i] = rng.uniform() < probability ? 1 : 0;
  const cellH = Math.ceil(height / cells);
  const cellW = Math.ceil(width / cells);
  const offsetY = rng.int(cellH);
  const offsetX = rng.int(cellW);
  const xs = axis(cells, (cells + 1) * cellW, offsetX, width);
  const ys = axis(cells, (cells + 1) * cellH, offsetY, height);
  const rows = new Float32Array(cells * width);
  for (let g = 0; g < cells; g++) {
    for (let x = 0; x < width; x++) {
      const t = xs.t[x]!;
      rows[g * width + x] = grid[g * cells + xs.i0[x]!]! * (1 - t) + grid[g * cells + xs.i1[x]!]! * t;
    }
  }
  for (let y = 0; y < height; y++) {
    const top = ys.i0[y]! * width;
    const bottom = ys.i1[y]! * width;
    const t = ys.t[y]!;
    const line = y * width;
    for (let x = 0; x < width; x++) out[line + x] = rows[top + x]! * (1 - t) + rows[bottom + x]! * t;
  }
  return out;
}
