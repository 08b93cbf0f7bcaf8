import type { Rng } from '../../random/rng';

/**
 * One RISE mask (Petsiuk et al. 2018): a cells x cells grid of Bernoulli(p) values, upsampled
 * bilinearly to (cells + 1) x cell size, then cropped at a random offset within one cell: smooth
 * masks whose cell boundaries do not all fall on the same pixels.
 */
export function riseMask(rng: Rng, cells: number, probability: number, height: number, width: number, out: Float32Array): Float32Array {
  const grid = new Float32Array(cells * cells);
  for (let i = 0; i < grid.length; i++) grid[i] = rng.uniform() < probability ? 1 : 0;
  const cellH = Math.ceil(height / cells);
  const cellW = Math.ceil(width / cells);
  const offsetY = rng.int(cellH);
  const offsetX = rng.int(cellW);
  const upH = (cells + 1) * cellH;
  const upW = (cells + 1) * cellW;
  // Bilinear upsampling of the grid to upH x upW with half-pixel centres, sampled only where the crop needs it.
  for (let y = 0; y < height; y++) {
    const sy = Math.min(cells - 1, Math.max(0, ((y + offsetY + 0.5) * cells) / upH - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(cells - 1, y0 + 1);
    const ty = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(cells - 1, Math.max(0, ((x + offsetX + 0.5) * cells) / upW - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(cells - 1, x0 + 1);
      const tx = sx - x0;
      const top = grid[y0 * cells + x0]! * (1 - tx) + grid[y0 * cells + x1]! * tx;
      const bottom = grid[y1 * cells + x0]! * (1 - tx) + grid[y1 * cells + x1]! * tx;
      out[y * width + x] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}
