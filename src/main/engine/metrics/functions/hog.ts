import { LumenError } from '../../../../shared/errors';

/** Block normalisations of skimage's hog. */
export type HogBlockNorm = 'L1' | 'L1-sqrt' | 'L2' | 'L2-Hys';

export interface HogOptions {
  /** Number of orientation bins over 0 to 180 degrees. Default 9. */
  orientations?: number;
  /** Cell size as [rows, columns] of pixels. Default [8, 8]. */
  pixelsPerCell?: readonly [number, number];
  /** Block size as [rows, columns] of cells. Default [3, 3]. */
  cellsPerBlock?: readonly [number, number];
  /** Block normalisation. Default 'L2-Hys'. */
  blockNorm?: HogBlockNorm;
}

const EPS = 1e-5;
const BLOCK_NORMS: ReadonlyArray<HogBlockNorm> = ['L1', 'L1-sqrt', 'L2', 'L2-Hys'];

function positiveInteger(value: number): boolean {
  return Number.isInteger(value) && value >= 1;
}

function checkImage(image: ArrayLike<number>, height: number, width: number, what: string): void {
  if (!positiveInteger(height) || !positiveInteger(width)) {
    throw new LumenError('invalid-argument', `${what}: the size must be whole numbers of pixels; got height ${height} and width ${width}.`, 'Pass the height and width of the image.');
  }
  if (image.length !== height * width) {
    throw new LumenError('invalid-argument', `${what}: the image has ${image.length} values, but ${width} x ${height} (width x height) needs ${height * width}.`, 'Pass a single-channel image, row-major.');
  }
  for (let i = 0; i < image.length; i++) {
    const v = image[i]!;
    if (!Number.isFinite(v)) {
      throw new LumenError('invalid-argument', `${what}: the image holds ${Number.isNaN(v) ? 'NaN' : 'an infinite value'} at element ${i}.`, 'Metrics need finite values; recompute or clean the map.');
    }
  }
}

/**
 * Histogram of oriented gradients of a single-channel image, computed as scikit-image 0.19
 * `skimage.feature.hog(image)` does for a 2-D float image (skimage/feature/_hog.py and
 * _hoghistogram.pyx), by default with its defaults orientations=9, pixels_per_cell=(8, 8),
 * cells_per_block=(3, 3), block_norm='L2-Hys', transform_sqrt=False, feature_vector=True:
 *
 * 1. gradients by central differences, g_row[r] = I[r+1] - I[r-1] (0 on the first and last row) and
 *    likewise g_col along columns;
 * 2. magnitude hypot(g_col, g_row), unsigned orientation atan2(g_row, g_col) in degrees modulo 180;
 * 3. per cell (only whole cells; leftover rows and columns at the bottom and right are ignored) and
 *    orientation bin i, the magnitudes of the pixels with 180/o * i <= orientation < 180/o * (i + 1),
 *    summed in row-major order in single precision and divided by the cell's pixel count, as the
 *    Cython kernel does (its accumulator is a C float, so we round to float32 at each step too; a
 *    pixel whose orientation rounds to exactly 180 falls in no bin there, and here);
 * 4. every block of cells_per_block cells (stride one cell) normalised with eps = 1e-5, e.g. L2-Hys:
 *    v / sqrt(|v|^2 + eps^2), clipped at 0.2, normalised again the same way;
 * 5. the blocks flattened in (block row, block column, cell row, cell column, orientation) order.
 *
 * Images are row-major, `height` x `width`, and must hold at least one block of cells (24 x 24 pixels
 * with the defaults); skimage returns an empty or failing result below that, we throw. The vector
 * has blocks x cells per block x orientations values. Values are used as float64, as skimage does
 * for float64 arrays (for float32 arrays it computes the gradients in float32).
 */
export function hogFeatures(image: ArrayLike<number>, height: number, width: number, options: HogOptions = {}): Float64Array {
  checkImage(image, height, width, 'HOG');
  const orientations = options.orientations ?? 9;
  const [cellRows, cellCols] = options.pixelsPerCell ?? [8, 8];
  const [blockRows, blockCols] = options.cellsPerBlock ?? [3, 3];
  const blockNorm = options.blockNorm ?? 'L2-Hys';
  if (!positiveInteger(orientations) || !positiveInteger(cellRows) || !positiveInteger(cellCols) || !positiveInteger(blockRows) || !positiveInteger(blockCols)) {
    throw new LumenError('invalid-argument', `HOG: orientations, pixels per cell and cells per block must be whole numbers of at least 1; got ${orientations}, [${cellRows}, ${cellCols}] and [${blockRows}, ${blockCols}].`, 'Leave them out for the defaults: 9 orientations, 8 x 8 pixels per cell, 3 x 3 cells per block.');
  }
  if (!BLOCK_NORMS.includes(blockNorm)) {
    throw new LumenError('invalid-argument', `HOG: unknown block normalisation "${String(blockNorm)}".`, `Use one of ${BLOCK_NORMS.join(', ')}.`);
  }
  const nCellsRow = Math.floor(height / cellRows);
  const nCellsCol = Math.floor(width / cellCols);
  const nBlocksRow = nCellsRow - blockRows + 1;
  const nBlocksCol = nCellsCol - blockCols + 1;
  if (nBlocksRow < 1 || nBlocksCol < 1) {
    const needRows = cellRows * blockRows;
    const needCols = cellCols * blockCols;
    throw new LumenError('invalid-argument', `HOG needs an image of at least ${needCols} x ${needRows} (width x height) pixels for one block of ${blockCols} x ${blockRows} cells of ${cellCols} x ${cellRows} pixels; got ${width} x ${height}.`, 'Compare maps at a larger resolution, e.g. upsampled to the input image size.');
  }

  // 1-2. Gradients, magnitude and orientation in [0, 180).
  const magnitude = new Float64Array(height * width);
  const orientation = new Float64Array(height * width);
  const toDegrees = 180 / Math.PI;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const i = r * width + c;
      const gRow = r > 0 && r < height - 1 ? image[i + width]! - image[i - width]! : 0;
      const gCol = c > 0 && c < width - 1 ? image[i + 1]! - image[i - 1]! : 0;
      magnitude[i] = Math.hypot(gCol, gRow);
      // numpy's floor modulo: the result takes the sign of 180 (and -0 becomes +0).
      let degrees = (Math.atan2(gRow, gCol) * toDegrees) % 180;
      if (degrees < 0) degrees += 180;
      else if (degrees === 0) degrees = 0;
      orientation[i] = degrees;
    }
  }

  // 3. Cell histograms, as _hoghistogram.cell_hog: float32 running sum over the cell, row-major.
  const perBin = 180 / orientations;
  const histogram = new Float64Array(nCellsRow * nCellsCol * orientations);
  const cellArea = cellRows * cellCols;
  for (let o = 0; o < orientations; o++) {
    const start = perBin * (o + 1);
    const end = perBin * o;
    for (let cr = 0; cr < nCellsRow; cr++) {
      for (let cc = 0; cc < nCellsCol; cc++) {
        let total = 0;
        for (let r = cr * cellRows; r < (cr + 1) * cellRows; r++) {
          for (let c = cc * cellCols; c < (cc + 1) * cellCols; c++) {
            const i = r * width + c;
            const angle = orientation[i]!;
            if (angle >= start || angle < end) continue;
            total = Math.fround(total + magnitude[i]!);
          }
        }
        histogram[(cr * nCellsCol + cc) * orientations + o] = Math.fround(total / cellArea);
      }
    }
  }

  // 4-5. Block normalisation, flattened block by block.
  const blockSize = blockRows * blockCols * orientations;
  const features = new Float64Array(nBlocksRow * nBlocksCol * blockSize);
  const block = new Float64Array(blockSize);
  for (let br = 0; br < nBlocksRow; br++) {
    for (let bc = 0; bc < nBlocksCol; bc++) {
      let k = 0;
      for (let r = br; r < br + blockRows; r++) {
        for (let c = bc; c < bc + blockCols; c++) {
          const base = (r * nCellsCol + c) * orientations;
          for (let o = 0; o < orientations; o++) block[k++] = histogram[base + o]!;
        }
      }
      normaliseBlock(block, blockNorm);
      features.set(block, (br * nBlocksCol + bc) * blockSize);
    }
  }
  return features;
}

/** skimage's _hog_normalize_block, in place. */
function normaliseBlock(block: Float64Array, method: HogBlockNorm): void {
  if (method === 'L1' || method === 'L1-sqrt') {
    let sum = 0;
    for (const v of block) sum += Math.abs(v);
    const denominator = sum + EPS;
    for (let i = 0; i < block.length; i++) {
      const v = block[i]! / denominator;
      block[i] = method === 'L1' ? v : Math.sqrt(v);
    }
    return;
  }
  l2Normalise(block);
  if (method === 'L2-Hys') {
    for (let i = 0; i < block.length; i++) block[i] = Math.min(block[i]!, 0.2);
    l2Normalise(block);
  }
}

function l2Normalise(block: Float64Array): void {
  let squares = 0;
  for (const v of block) squares += v * v;
  const norm = Math.sqrt(squares + EPS ** 2);
  for (let i = 0; i < block.length; i++) block[i] = block[i]! / norm;
}

/**
 * Similarity of two maps as the Pearson correlation of their HOG feature vectors (`hogFeatures` with
 * `options`, skimage's defaults unless given), the comparison Adebayo et al. (2018, "Sanity checks for
 * saliency maps") use alongside SSIM and rank correlation. Both maps are `height` x `width`.
 *
 * Pearson's r is undefined when a vector is constant (a flat map has all-zero HOG features; np.corrcoef
 * gives NaN). We define it as 1 when both vectors are constant and equal (the maps have the same,
 * empty, gradient structure) and 0 otherwise (no linear relationship can be measured).
 */
export function hogSimilarity(a: ArrayLike<number>, b: ArrayLike<number>, height: number, width: number, options: HogOptions = {}): number {
  checkImage(a, height, width, 'HOG similarity (first map)');
  checkImage(b, height, width, 'HOG similarity (second map)');
  const fa = hogFeatures(a, height, width, options);
  const fb = hogFeatures(b, height, width, options);
  const constantA = fa.every((v) => v === fa[0]);
  const constantB = fb.every((v) => v === fb[0]);
  if (constantA || constantB) return constantA && constantB && fa[0] === fb[0] ? 1 : 0;
  const n = fa.length;
  let meanA = 0;
  let meanB = 0;
  for (let i = 0; i < n; i++) {
    meanA += fa[i]!;
    meanB += fb[i]!;
  }
  meanA /= n;
  meanB /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = fa[i]! - meanA;
    const db = fb[i]! - meanB;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) return 0; // only for values so tiny that their squares underflow
  return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
}
