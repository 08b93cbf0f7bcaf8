import { LumenError } from '../../../../shared/errors';

/** Options of `noisyLinearImputation`. */
export interface NoisyLinearImputationOptions {
  /** Standard deviation of the Gaussian noise added to every imputed value (ROAD's default is 0.01). */
  noise: number;
  /** Source of standard normal draws; without one no noise is added, whatever `noise` says. */
  rng?: { normal(): number };
}

/** Memory layout of a single image: channels first (C x H x W) or channels last (H x W x C). */
export type ImageLayout = 'NCHW' | 'NHWC';

const DIRECT = 1 / 6;
const DIAGONAL = 1 / 12;
/** The 8 neighbours (row offset, column offset, weight): 1/6 for direct, 1/12 for diagonal ones. */
const NEIGHBOURS: readonly (readonly [number, number, number])[] = [
  [-1, -1, DIAGONAL], [-1, 0, DIRECT], [-1, 1, DIAGONAL], [0, -1, DIRECT],
  [0, 1, DIRECT], [1, -1, DIAGONAL], [1, 0, DIRECT], [1, 1, DIAGONAL],
];
/** Relative residual ||b - M x|| / ||b|| at which conjugate gradients stops. */
const TOLERANCE = 1e-10;
/** Fraction of the dropped fill-in moved onto the diagonal (relaxed modified incomplete Cholesky). */
const RELAXATION = 0.99;

/**
 * ROAD's noisy linear imputation (Rong et al. 2022, "A Consistent and Efficient Evaluation Strategy
 * for Attribution Methods", ICML), as defined by the reference `NoisyLinearImputer` in
 * github.com/tleemann/road_evaluation `road/imputations.py` (identical in Quantus
 * `quantus/functions/perturb_func.py` `noisy_linear_imputation`).
 *
 * Every removed pixel i (remove[i] = 1) is the weighted average of its 8 neighbours,
 *
 *   s_i x_i = sum_j w_ij x_j,   w = 1/6 for the 4 direct and 1/12 for the 4 diagonal neighbours,
 *
 * where neighbours outside the image are left out and s_i is the sum of the weights of those that
 * exist (the reference starts from 1 and subtracts the missing ones); x_j is an unknown for a removed
 * neighbour and the image value for a kept one (those go to the right-hand side). The system is
 * solved separately per channel; then Gaussian noise with standard deviation `noise` is added to the
 * imputed values only (drawn channel by channel, removed pixels in row-major order), if an `rng` is
 * given. Kept pixels are copied unchanged. The result is a new Float32Array in the input's layout.
 *
 * The reference solves with scipy's sparse LU (spsolve). The matrix M (s_i on the diagonal, -w_ij
 * between removed neighbours) is symmetric and, whenever some pixel is kept, a nonsingular
 * diagonally dominant M-matrix, hence positive definite: every 8-connected region of removed pixels
 * touches a kept pixel, which makes its rows irreducibly diagonally dominant. We therefore solve it
 * with conjugate gradients, in float64, preconditioned by a relaxed modified incomplete Cholesky
 * factor (MIC(0), falling back to plain IC(0) should a pivot vanish), until the relative residual is
 * below 1e-10 (the same solution as a direct solve to far below 1e-6); not getting there within the
 * iteration bound is an `internal` error.
 *
 * When every pixel is removed there is nothing to interpolate from: the system is singular (every
 * constant solves it) with a zero right-hand side. spsolve then returns zeros (rounding makes the
 * matrix numerically nonsingular; only for a 1 x 1 image does it report a singular matrix and return
 * NaN). We return 0 for every pixel and channel, plus the noise, as spsolve does; a constant taken
 * from the image (its mean) would leak the removed content.
 */
export function noisyLinearImputation(
  image: Float32Array,
  layout: ImageLayout,
  channels: number,
  height: number,
  width: number,
  remove: Uint8Array,
  options: NoisyLinearImputationOptions,
): Float32Array {
  validate(image, layout, channels, height, width, remove, options);
  const pixels = height * width;
  const channelStride = layout === 'NCHW' ? pixels : 1;
  const pixelStride = layout === 'NCHW' ? 1 : channels;
  const out = image.slice();
  let removed = 0;
  for (let p = 0; p < pixels; p++) removed += remove[p]!;
  if (removed === 0) return out;

  const grid = new Grid(height, width, remove);
  const rng = options.rng;
  const addNoise = rng !== undefined && options.noise > 0;
  const factor = removed === pixels ? null : grid.factor();
  const maxIterations = 100 + 10 * (height + width);
  for (let c = 0; c < channels; c++) {
    const x = factor === null ? new Float64Array(grid.size) : grid.solve(factor, grid.rhs(image, c * channelStride, pixelStride), maxIterations);
    for (let y = 0; y < height; y++) {
      for (let xx = 0; xx < width; xx++) {
        const p = y * width + xx;
        if (remove[p] !== 1) continue;
        const noise = addNoise ? options.noise * rng.normal() : 0;
        out[c * channelStride + p * pixelStride] = x[grid.at(y, xx)]! + noise;
      }
    }
  }
  return out;
}

/** Coefficients of L and D^-1 in M ~ L D L^T, L unit lower triangular on the grid. */
interface Factor {
  /** Entries of row g of L for its NW, N, NE and W neighbours (0 where that is not an unknown). */
  nw: Float64Array;
  n: Float64Array;
  ne: Float64Array;
  w: Float64Array;
  /** 1 / pivot at unknowns, 0 elsewhere. */
  inversePivot: Float64Array;
}

/**
 * The system on the image grid padded by one pixel on every side, in row-major order, so that the
 * 8 neighbours of every pixel are at fixed offsets. Vectors hold the unknowns at the removed pixels
 * and 0 at kept and padding ones, which drops those neighbours from M without any branching.
 */
class Grid {
  readonly size: number;
  private readonly stride: number;
  /** 1 at removed pixels, 0 elsewhere. */
  private readonly unknown: Float64Array;
  /** s_i at removed pixels. */
  private readonly diag: Float64Array;

  constructor(
    private readonly height: number,
    private readonly width: number,
    private readonly remove: Uint8Array,
  ) {
    this.stride = width + 2;
    this.size = (height + 2) * this.stride;
    this.unknown = new Float64Array(this.size);
    this.diag = new Float64Array(this.size);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (remove[y * width + x] !== 1) continue;
        let s = 0;
        for (const [dy, dx, weight] of NEIGHBOURS) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy >= 0 && yy < height && xx >= 0 && xx < width) s += weight;
        }
        this.unknown[this.at(y, x)] = 1;
        this.diag[this.at(y, x)] = s;
      }
    }
  }

  /** Grid index of image pixel (y, x). */
  at(y: number, x: number): number {
    return (y + 1) * this.stride + x + 1;
  }

  /** b: for each removed pixel, the weighted sum of its kept neighbours in one channel. */
  rhs(image: Float32Array, offset: number, pixelStride: number): Float64Array {
    const { height, width, remove } = this;
    const b = new Float64Array(this.size);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (remove[y * width + x] !== 1) continue;
        let v = 0;
        for (const [dy, dx, weight] of NEIGHBOURS) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy < 0 || yy >= height || xx < 0 || xx >= width) continue;
          const q = yy * width + xx;
          if (remove[q] !== 1) v += weight * image[offset + q * pixelStride]!;
        }
        b[this.at(y, x)] = v;
      }
    }
    return b;
  }

  factor(): Factor {
    const factor = this.incompleteCholesky(RELAXATION) ?? this.incompleteCholesky(0);
    if (factor === null) {
      throw new LumenError('internal', 'Noisy linear imputation: the incomplete Cholesky factorisation broke down.', 'This should not happen for a mask that keeps some pixel; please report it with the image size and mask.');
    }
    return factor;
  }

  /**
   * Incomplete L D L^T factorisation restricted to the 9-point stencil, by right-looking elimination
   * in row-major order. Eliminating pixel k updates its later neighbours E, SW, S and SE; of the
   * products among them, (E, SW) and (SW, SE) are not neighbours and are dropped (IC(0)), or, with
   * relaxation omega, omega times the dropped entry is added to both diagonals (MIC(0), which keeps
   * row sums and conditions much better on large removed regions). Returns null if a pivot is not
   * positive (IC(0) of an M-matrix cannot break down; Meijerink and van der Vorst 1977).
   */
  private incompleteCholesky(omega: number): Factor | null {
    const { height, width, stride: sw, size, unknown } = this;
    const pivot = this.diag.slice();
    const nw = new Float64Array(size);
    const n = new Float64Array(size);
    const ne = new Float64Array(size);
    const w = new Float64Array(size);
    for (let y = 1; y <= height; y++) {
      for (let x = 1; x <= width; x++) {
        const g = y * sw + x;
        if (unknown[g] === 0) continue;
        nw[g] = -DIAGONAL * unknown[g - sw - 1]!;
        n[g] = -DIRECT * unknown[g - sw]!;
        ne[g] = -DIAGONAL * unknown[g - sw + 1]!;
        w[g] = -DIRECT * unknown[g - 1]!;
      }
    }
    for (let y = 1; y <= height; y++) {
      for (let x = 1; x <= width; x++) {
        const g = y * sw + x;
        if (unknown[g] === 0) continue;
        const d = pivot[g]!;
        if (!(d > 0) || !Number.isFinite(d)) return null;
        const e = g + 1;
        const s = g + sw;
        const uE = w[e]!;
        const uSW = ne[s - 1]!;
        const uS = n[s]!;
        const uSE = nw[s + 1]!;
        const fill1 = (omega * uSW * uE) / d;
        const fill2 = (omega * uSE * uSW) / d;
        pivot[e] = pivot[e]! - (uE * uE) / d - fill1;
        pivot[s - 1] = pivot[s - 1]! - (uSW * uSW) / d - fill1 - fill2;
        pivot[s] = pivot[s]! - (uS * uS) / d;
        pivot[s + 1] = pivot[s + 1]! - (uSE * uSE) / d - fill2;
        ne[s] = ne[s]! - (uS * uE) / d;
        w[s] = w[s]! - (uS * uSW) / d;
        n[s + 1] = n[s + 1]! - (uSE * uE) / d;
        w[s + 1] = w[s + 1]! - (uSE * uS) / d;
      }
    }
    const inversePivot = new Float64Array(size);
    for (let y = 1; y <= height; y++) {
      for (let x = 1; x <= width; x++) {
        const g = y * sw + x;
        if (unknown[g] === 0) continue;
        inversePivot[g] = 1 / pivot[g]!;
        if (nw[g] !== 0) nw[g] = nw[g]! / pivot[g - sw - 1]!;
        if (n[g] !== 0) n[g] = n[g]! / pivot[g - sw]!;
        if (ne[g] !== 0) ne[g] = ne[g]! / pivot[g - sw + 1]!;
        if (w[g] !== 0) w[g] = w[g]! / pivot[g - 1]!;
      }
    }
    return { nw, n, ne, w, inversePivot };
  }

  /** q = M p; returns p . q. */
  private multiply(p: Float64Array, q: Float64Array): number {
    const { height, width, stride: sw, unknown, diag } = this;
    let pq = 0;
    for (let y = 1; y <= height; y++) {
      for (let g = y * sw + 1, end = g + width; g < end; g++) {
        const v = unknown[g]! * (
          diag[g]! * p[g]!
          - DIRECT * (p[g - 1]! + p[g + 1]! + p[g - sw]! + p[g + sw]!)
          - DIAGONAL * (p[g - sw - 1]! + p[g - sw + 1]! + p[g + sw - 1]! + p[g + sw + 1]!)
        );
        q[g] = v;
        pq += p[g]! * v;
      }
    }
    return pq;
  }

  /** z = (L D L^T)^-1 r by forward and backward substitution; returns r . z. */
  private precondition(factor: Factor, r: Float64Array, z: Float64Array): number {
    const { height, width, stride: sw } = this;
    const { nw, n, ne, w, inversePivot } = factor;
    for (let y = 1; y <= height; y++) {
      for (let g = y * sw + 1, end = g + width; g < end; g++) {
        z[g] = r[g]! - nw[g]! * z[g - sw - 1]! - n[g]! * z[g - sw]! - ne[g]! * z[g - sw + 1]! - w[g]! * z[g - 1]!;
      }
    }
    let rz = 0;
    for (let y = height; y >= 1; y--) {
      for (let g = y * sw + width; g > y * sw; g--) {
        const v = z[g]! * inversePivot[g]! - w[g + 1]! * z[g + 1]! - ne[g + sw - 1]! * z[g + sw - 1]! - n[g + sw]! * z[g + sw]! - nw[g + sw + 1]! * z[g + sw + 1]!;
        z[g] = v;
        rz += r[g]! * v;
      }
    }
    return rz;
  }

  /** Preconditioned conjugate gradients for M x = b from x = 0. */
  solve(factor: Factor, b: Float64Array, maxIterations: number): Float64Array {
    const size = this.size;
    const x = new Float64Array(size);
    let bNorm2 = 0;
    for (let g = 0; g < size; g++) bNorm2 += b[g]! * b[g]!;
    if (bNorm2 === 0) return x;
    const stop2 = TOLERANCE * TOLERANCE * bNorm2;
    const r = b.slice();
    const z = new Float64Array(size);
    const q = new Float64Array(size);
    let rz = this.precondition(factor, r, z);
    const p = z.slice();
    for (let iteration = 0; iteration < maxIterations; iteration++) {
      const alpha = rz / this.multiply(p, q);
      let rNorm2 = 0;
      for (let g = 0; g < size; g++) {
        x[g] = x[g]! + alpha * p[g]!;
        const v = r[g]! - alpha * q[g]!;
        r[g] = v;
        rNorm2 += v * v;
      }
      if (rNorm2 <= stop2) return x;
      const rzNext = this.precondition(factor, r, z);
      const beta = rzNext / rz;
      rz = rzNext;
      for (let g = 0; g < size; g++) p[g] = z[g]! + beta * p[g]!;
    }
    throw new LumenError('internal', `Noisy linear imputation: conjugate gradients did not reach a relative residual of ${TOLERANCE} within ${maxIterations} iterations.`, 'This should not happen for finite images; please report it with the image size and mask.');
  }
}

function validate(image: Float32Array, layout: ImageLayout, channels: number, height: number, width: number, remove: Uint8Array, options: NoisyLinearImputationOptions): void {
  const hint = 'Pass one image of channels x height x width float32 values and a height x width removal mask (1 = impute, 0 = keep).';
  if (layout !== 'NCHW' && layout !== 'NHWC') {
    throw new LumenError('invalid-argument', `Noisy linear imputation: unknown layout ${String(layout)}.`, "Use 'NCHW' (channels first) or 'NHWC' (channels last).");
  }
  for (const [name, value] of [['channels', channels], ['height', height], ['width', width]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new LumenError('invalid-argument', `Noisy linear imputation: ${name} must be a positive integer; got ${value}.`, hint);
    }
  }
  const pixels = height * width;
  if (image.length !== channels * pixels) {
    throw new LumenError('invalid-argument', `Noisy linear imputation: the image has ${image.length} values, but ${channels} x ${height} x ${width} (channels x height x width) needs ${channels * pixels}.`, hint);
  }
  if (remove.length !== pixels) {
    throw new LumenError('invalid-argument', `Noisy linear imputation: the removal mask has ${remove.length} values, but ${height} x ${width} (height x width) needs ${pixels}.`, hint);
  }
  for (let i = 0; i < pixels; i++) {
    const v = remove[i]!;
    if (v !== 0 && v !== 1) {
      throw new LumenError('invalid-argument', `Noisy linear imputation: the removal mask holds ${v} at pixel ${i}; only 0 (keep) and 1 (impute) are allowed.`, hint);
    }
  }
  for (let i = 0; i < image.length; i++) {
    const v = image[i]!;
    if (!Number.isFinite(v)) {
      throw new LumenError('invalid-argument', `Noisy linear imputation: the image holds ${Number.isNaN(v) ? 'NaN' : 'an infinite value'} at element ${i}.`, 'Imputation needs finite pixel values; check the preprocessing.');
    }
  }
  if (!Number.isFinite(options.noise) || options.noise < 0) {
    throw new LumenError('invalid-argument', `Noisy linear imputation: the noise standard deviation must be a finite number >= 0; got ${options.noise}.`, 'ROAD uses 0.01; pass 0 for a deterministic imputation.');
  }
}
