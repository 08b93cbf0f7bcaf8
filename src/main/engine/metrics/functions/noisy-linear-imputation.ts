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

/**
 * The 8-neighbourhood in a fixed slot order: the first four neighbours (NW, N, NE, W) come before a
 * pixel in row-major order, the last four (E, SW, S, SE) after it. Direct neighbours weigh 1/6 and
 * diagonal ones 1/12, so that the eight weights sum to 1.
 */
const OFFSETS: readonly (readonly [number, number])[] = [
  [-1, -1], [-1, 0], [-1, 1], [0, -1],
  [0, 1], [1, -1], [1, 0], [1, 1],
];
const DIRECT = 1 / 6;
const DIAGONAL = 1 / 12;
const WEIGHTS: readonly number[] = [DIAGONAL, DIRECT, DIAGONAL, DIRECT, DIRECT, DIAGONAL, DIRECT, DIAGONAL];
/** Relative residual ||b - M x|| / ||b|| at which conjugate gradients stops. */
const TOLERANCE = 1e-12;

/**
 * ROAD's noisy linear imputation (Rong et al. 2022, "A Consistent and Efficient Evaluation Strategy
 * for Attribution Methods", ICML), as defined by the reference `NoisyLinearImputer` in
 * github.com/tleemann/road_evaluation `road/imputations.py` (also Quantus `noisy_linear_imputation`).
 *
 * Every removed pixel i (remove[i] = 1) is the weighted average of its 8 neighbours,
 *
 *   s_i x_i = sum_j w_ij x_j,   w = 1/6 for the 4 direct and 1/12 for the 4 diagonal neighbours,
 *
 * where neighbours outside the image are left out and s_i is the sum of the weights of the
 * neighbours that exist (the reference starts from 1 and subtracts the missing ones); x_j is the
 * unknown for a removed neighbour and the image value for a kept one (those go to the right-hand
 * side). The system is solved per channel; then Gaussian noise of standard deviation `noise` is added
 * to the imputed values only (drawn channel by channel, pixels in row-major order). Kept pixels are
 * copied unchanged. The result is a new Float32Array in the layout of the input.
 *
 * The reference solves with scipy's sparse LU (spsolve). The matrix M (s_i on the diagonal, -w_ij
 * between removed neighbours) is symmetric, and, whenever some pixel is kept, a nonsingular
 * diagonally dominant M-matrix, hence positive definite: every 8-connected region of removed pixels
 * touches a kept pixel, which makes its rows irreducibly diagonally dominant. So we solve it with
 * conjugate gradients preconditioned by an incomplete Cholesky factor, IC(0), run in float64 until
 * the relative residual is below 1e-12 (the same solution as a direct solve to well below 1e-6);
 * failing to get there within the iteration bound is an `internal` error.
 *
 * When every pixel is removed there is nothing to interpolate from: the system is singular (any
 * constant solves it) with a zero right-hand side. spsolve then returns zeros (rounding makes the
 * matrix numerically nonsingular; only a 1 x 1 image is flagged singular and gives NaN). We return
 * 0 for every pixel, plus noise, as spsolve does; this does not leak the mean of the removed image.
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

  // Unknowns are the removed pixels in row-major order.
  const unknownOf = new Int32Array(pixels).fill(-1);
  let n = 0;
  for (let p = 0; p < pixels; p++) if (remove[p] === 1) unknownOf[p] = n++;
  if (n === 0) return out;
  const pixelOf = new Int32Array(n);
  for (let p = 0; p < pixels; p++) if (unknownOf[p]! >= 0) pixelOf[unknownOf[p]!] = p;

  const rng = options.rng;
  const addNoise = rng !== undefined && options.noise > 0;
  const write = (c: number, values: Float64Array): void => {
    for (let i = 0; i < n; i++) {
      const noise = addNoise ? options.noise * rng.normal() : 0;
      out[c * channelStride + pixelOf[i]! * pixelStride] = values[i]! + noise;
    }
  };

  if (n === pixels) {
    const zeros = new Float64Array(n);
    for (let c = 0; c < channels; c++) write(c, zeros);
    return out;
  }

  // The system: diag[i] = s_i; neighbour[8 i + k] is the unknown in slot k (or -1 when that
  // neighbour is outside the image or kept); kept neighbours go to the right-hand sides.
  const diag = new Float64Array(n);
  const neighbour = new Int32Array(8 * n).fill(-1);
  const rhs: Float64Array[] = Array.from({ length: channels }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const p = pixelOf[i]!;
    const y = Math.floor(p / width);
    const x = p - y * width;
    let s = 0;
    for (let k = 0; k < 8; k++) {
      const yy = y + OFFSETS[k]![0];
      const xx = x + OFFSETS[k]![1];
      if (yy < 0 || yy >= height || xx < 0 || xx >= width) continue;
      const w = WEIGHTS[k]!;
      s += w;
      const q = yy * width + xx;
      const j = unknownOf[q]!;
      if (j >= 0) {
        neighbour[8 * i + k] = j;
      } else {
        for (let c = 0; c < channels; c++) {
          const b = rhs[c]!;
          b[i] = b[i]! + w * image[c * channelStride + q * pixelStride]!;
        }
      }
    }
    diag[i] = s;
  }

  const system = compress(n, diag, incompleteCholesky(n, diag, neighbour), neighbour);
  const maxIterations = 1000 + 20 * (height + width);
  for (let c = 0; c < channels; c++) {
    write(c, conjugateGradient(system, rhs[c]!, maxIterations));
  }
  return out;
}

/** M and its preconditioner in compressed rows, without the empty slots. */
interface System {
  n: number;
  /** Diagonal of M. */
  diag: Float64Array;
  /** Row i of M off the diagonal: columns offCol[offStart[i] .. offStart[i + 1]), values offVal (negative weights). */
  offStart: Int32Array;
  offCol: Int32Array;
  offVal: Float64Array;
  /** Row i of the unit lower triangular L below the diagonal. */
  lowStart: Int32Array;
  lowCol: Int32Array;
  lowVal: Float64Array;
  /** Row i of L^T above the diagonal (column i of L below it). */
  upStart: Int32Array;
  upCol: Int32Array;
  upVal: Float64Array;
  /** Pivots, D of L D L^T. */
  pivot: Float64Array;
}

function compress(n: number, diag: Float64Array, factor: Factor, neighbour: Int32Array): System {
  let offCount = 0;
  let lowCount = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 8; k++) {
      if (neighbour[8 * i + k]! >= 0) {
        offCount++;
        if (k < 4) lowCount++;
      }
    }
  }
  const offStart = new Int32Array(n + 1);
  const offCol = new Int32Array(offCount);
  const offVal = new Float64Array(offCount);
  const lowStart = new Int32Array(n + 1);
  const lowCol = new Int32Array(lowCount);
  const lowVal = new Float64Array(lowCount);
  const upStart = new Int32Array(n + 1);
  const upCol = new Int32Array(offCount - lowCount);
  const upVal = new Float64Array(offCount - lowCount);
  let o = 0;
  let l = 0;
  let u = 0;
  for (let i = 0; i < n; i++) {
    offStart[i] = o;
    lowStart[i] = l;
    upStart[i] = u;
    for (let k = 0; k < 8; k++) {
      const j = neighbour[8 * i + k]!;
      if (j < 0) continue;
      offCol[o] = j;
      offVal[o++] = -WEIGHTS[k]!;
      if (k < 4) {
        lowCol[l] = j;
        lowVal[l++] = factor.lower[4 * i + k]!;
      } else {
        upCol[u] = j;
        upVal[u++] = factor.lower[4 * j + 7 - k]!;
      }
    }
  }
  offStart[n] = o;
  lowStart[n] = l;
  upStart[n] = u;
  return { n, diag, offStart, offCol, offVal, lowStart, lowCol, lowVal, upStart, upCol, upVal, pivot: factor.pivot };
}

interface Factor {
  /** Pivots: D of L D L^T. */
  pivot: Float64Array;
  /** lower[4 i + k]: entry of the unit lower triangular L in row i for the neighbour in slot k (NW, N, NE, W). */
  lower: Float64Array;
}

const RELAX = Number(process.env.NLI_RELAX ?? '0');

function incompleteCholesky(n: number, diag: Float64Array, neighbour: Int32Array): Factor {
  const pivot = Float64Array.from(diag);
  const a = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 4; k++) if (neighbour[8 * i + k]! >= 0) a[4 * i + k] = -WEIGHTS[k]!;
  }
  for (let k = 0; k < n; k++) {
    const d = pivot[k]!;
    if (!(d > 0)) {
      throw new LumenError('internal', `Noisy linear imputation: the incomplete Cholesky factorisation broke down (pivot ${d} at unknown ${k}).`, 'This should not happen for a valid mask; please report it with the image size and mask.');
    }
    const e = neighbour[8 * k + 4]!;
    const sw = neighbour[8 * k + 5]!;
    const s = neighbour[8 * k + 6]!;
    const se = neighbour[8 * k + 7]!;
    const ue = e >= 0 ? a[4 * e + 3]! : 0;
    const usw = sw >= 0 ? a[4 * sw + 2]! : 0;
    const us = s >= 0 ? a[4 * s + 1]! : 0;
    const use = se >= 0 ? a[4 * se]! : 0;
    if (e >= 0) pivot[e] = pivot[e]! - ue * ue / d;
    if (sw >= 0) pivot[sw] = pivot[sw]! - usw * usw / d;
    if (s >= 0) pivot[s] = pivot[s]! - us * us / d;
    if (se >= 0) pivot[se] = pivot[se]! - use * use / d;
    if (s >= 0) {
      a[4 * s + 2] = a[4 * s + 2]! - us * ue / d;
      a[4 * s + 3] = a[4 * s + 3]! - us * usw / d;
    }
    if (se >= 0) {
      a[4 * se + 1] = a[4 * se + 1]! - use * ue / d;
      a[4 * se + 3] = a[4 * se + 3]! - use * us / d;
    }
    if (RELAX > 0) {
      const f1 = RELAX * usw * ue / d;
      if (e >= 0 && sw >= 0) {
        pivot[e] = pivot[e]! - f1;
        pivot[sw] = pivot[sw]! - f1;
      }
      const f2 = RELAX * use * usw / d;
      if (se >= 0 && sw >= 0) {
        pivot[se] = pivot[se]! - f2;
        pivot[sw] = pivot[sw]! - f2;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 4; k++) {
      const j = neighbour[8 * i + k]!;
      if (j >= 0) a[4 * i + k] = a[4 * i + k]! / pivot[j]!;
    }
  }
  return { pivot, lower: a };
}

/**
 * z = (L D L^T)^-1 r: forward substitution with L, division by D, backward substitution with L^T.
 * Returns r . z.
 */
function precondition(system: System, r: Float64Array, z: Float64Array): number {
  const { n, lowStart, lowCol, lowVal, upStart, upCol, upVal, pivot } = system;
  for (let i = 0; i < n; i++) {
    let v = r[i]!;
    for (let e = lowStart[i]!, end = lowStart[i + 1]!; e < end; e++) v -= lowVal[e]! * z[lowCol[e]!]!;
    z[i] = v;
  }
  let rz = 0;
  for (let i = n - 1; i >= 0; i--) {
    let v = z[i]! / pivot[i]!;
    for (let e = upStart[i]!, end = upStart[i + 1]!; e < end; e++) v -= upVal[e]! * z[upCol[e]!]!;
    z[i] = v;
    rz += r[i]! * v;
  }
  return rz;
}

/** q = M p. Returns p . q. */
function multiply(system: System, p: Float64Array, q: Float64Array): number {
  const { n, diag, offStart, offCol, offVal } = system;
  let pq = 0;
  for (let i = 0; i < n; i++) {
    let v = diag[i]! * p[i]!;
    for (let e = offStart[i]!, end = offStart[i + 1]!; e < end; e++) v += offVal[e]! * p[offCol[e]!]!;
    q[i] = v;
    pq += p[i]! * v;
  }
  return pq;
}

/** Preconditioned conjugate gradients for M x = b from x = 0. */
function conjugateGradient(system: System, b: Float64Array, maxIterations: number): Float64Array {
  const n = system.n;
  const x = new Float64Array(n);
  let bNorm2 = 0;
  for (let i = 0; i < n; i++) bNorm2 += b[i]! * b[i]!;
  if (bNorm2 === 0) return x;
  const stop2 = TOLERANCE * TOLERANCE * bNorm2;
  const r = b.slice();
  const z = new Float64Array(n);
  const q = new Float64Array(n);
  let rz = precondition(system, r, z);
  const p = z.slice();
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const alpha = rz / multiply(system, p, q);
    let rNorm2 = 0;
    for (let i = 0; i < n; i++) {
      x[i] = x[i]! + alpha * p[i]!;
      const ri = r[i]! - alpha * q[i]!;
      r[i] = ri;
      rNorm2 += ri * ri;
    }
    if (rNorm2 <= stop2) { if (process.env.NLI_DEBUG) console.log("iters", iteration + 1); return x; }
    const rzNext = precondition(system, r, z);
    const beta = rzNext / rz;
    rz = rzNext;
    for (let i = 0; i < n; i++) p[i] = z[i]! + beta * p[i]!;
  }
  throw new LumenError('internal', `Noisy linear imputation: conjugate gradients did not reach a relative residual of ${TOLERANCE} within ${maxIterations} iterations (${n} removed pixels).`, 'This should not happen for finite images; please report it with the image size and mask.');
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
