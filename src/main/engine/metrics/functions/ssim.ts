import { LumenError } from '../../../../shared/errors';

/** Options of `ssim`. */
export interface SsimOptions {
  /** Distance between the smallest and largest possible values (skimage's `data_range`). */
  dataRange: number;
}

const WINDOW = 7;
const K1 = 0.01;
const K2 = 0.03;

/**
 * Mean structural similarity (Wang et al. 2004) of two single-channel images, computed exactly as
 * scikit-image 0.19 `skimage.metrics.structural_similarity(im1, im2, data_range=dataRange)` does for
 * 2-D float images with its defaults (skimage/metrics/_structural_similarity.py): local means,
 * variances and covariance from a 7 x 7 uniform filter (scipy.ndimage.uniform_filter, mode 'reflect'),
 * the sample covariance correction N / (N - 1) with N = 49, K1 = 0.01, K2 = 0.03,
 * C1 = (K1 R)^2, C2 = (K2 R)^2,
 *
 *   S = (2 ux uy + C1)(2 vxy + C2) / ((ux^2 + uy^2 + C1)(vx + vy + C2)),
 *
 * and the mean of S over the image with a 3-pixel border cropped off (the windows that do not reach
 * past the edge). We follow skimage rather than Wang et al.'s Gaussian window because scikit-image
 * is the usual reference for comparing saliency maps in randomisation checks (Adebayo et al. 2018).
 * The box filter uses scipy's running sum, so results agree with skimage to rounding.
 *
 * Images are row-major, `height` x `width`, both at least 7 pixels (skimage refuses smaller ones).
 * `dataRange` is the distance between the smallest and largest possible values (skimage's
 * `data_range`), e.g. 1 for maps scaled to [0, 1]; it has no default because float maps have none.
 * Values are used as float64, as skimage does for float64 arrays (it computes float32 arrays in
 * float32, which differs from this in the last digits).
 */
export function ssim(a: ArrayLike<number>, b: ArrayLike<number>, height: number, width: number, options: SsimOptions): number {
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < WINDOW || width < WINDOW) {
    throw new LumenError('invalid-argument', `SSIM needs images of at least ${WINDOW} x ${WINDOW} pixels (its window size); got ${width} x ${height} (width x height).`, 'Compare maps at a larger resolution, e.g. upsampled to the input image size.');
  }
  const n = height * width;
  for (const [name, image] of [['first', a], ['second', b]] as const) {
    if (image.length !== n) {
      throw new LumenError('invalid-argument', `SSIM: the ${name} image has ${image.length} values, but ${width} x ${height} (width x height) needs ${n}.`, 'Pass two images of the same size, row-major.');
    }
    for (let i = 0; i < n; i++) {
      const v = image[i]!;
      if (!Number.isFinite(v)) {
        throw new LumenError('invalid-argument', `SSIM: the ${name} image holds ${Number.isNaN(v) ? 'NaN' : 'an infinite value'} at element ${i}.`, 'Metrics need finite values; recompute or clean the map.');
      }
    }
  }
  const dataRange = options.dataRange;
  if (!Number.isFinite(dataRange) || dataRange <= 0) {
    throw new LumenError('invalid-argument', `SSIM: the data range must be a positive finite number; got ${dataRange}.`, 'Use max - min of the values the maps can take, e.g. 1 for maps scaled to [0, 1].');
  }

  const x = Float64Array.from(a);
  const y = Float64Array.from(b);
  const xx = new Float64Array(n);
  const yy = new Float64Array(n);
  const xy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xx[i] = x[i]! * x[i]!;
    yy[i] = y[i]! * y[i]!;
    xy[i] = x[i]! * y[i]!;
  }
  const ux = uniformFilter(x, height, width);
  const uy = uniformFilter(y, height, width);
  const uxx = uniformFilter(xx, height, width);
  const uyy = uniformFilter(yy, height, width);
  const uxy = uniformFilter(xy, height, width);

  const np = WINDOW * WINDOW;
  const covNorm = np / (np - 1);
  const c1 = (K1 * dataRange) ** 2;
  const c2 = (K2 * dataRange) ** 2;
  const pad = (WINDOW - 1) / 2;
  let sum = 0;
  for (let r = pad; r < height - pad; r++) {
    for (let c = pad; c < width - pad; c++) {
      const i = r * width + c;
      const mx = ux[i]!;
      const my = uy[i]!;
      const vx = covNorm * (uxx[i]! - mx * mx);
      const vy = covNorm * (uyy[i]! - my * my);
      const vxy = covNorm * (uxy[i]! - mx * my);
      const a1 = 2 * mx * my + c1;
      const a2 = 2 * vxy + c2;
      const b1 = mx * mx + my * my + c1;
      const b2 = vx + vy + c2;
      sum += (a1 * a2) / (b1 * b2);
    }
  }
  return sum / ((height - 2 * pad) * (width - 2 * pad));
}

/** scipy.ndimage.uniform_filter(size=7, mode='reflect'): a 1-D box filter along rows (axis 0), then columns. */
function uniformFilter(src: Float64Array, height: number, width: number): Float64Array {
  const mid = new Float64Array(src.length);
  const out = new Float64Array(src.length);
  const line = new Float64Array(Math.max(height, width));
  const result = new Float64Array(Math.max(height, width));
  for (let c = 0; c < width; c++) {
    for (let r = 0; r < height; r++) line[r] = src[r * width + c]!;
    boxFilter1d(line, height, result);
    for (let r = 0; r < height; r++) mid[r * width + c] = result[r]!;
  }
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) line[c] = mid[r * width + c]!;
    boxFilter1d(line, width, result);
    for (let c = 0; c < width; c++) out[r * width + c] = result[c]!;
  }
  return out;
}

/**
 * scipy's NI_UniformFilter1D on a line of `length` values (length >= 3): the line is extended by 3
 * values each side with mode 'reflect' (d c b a | a b c d | d c b a), the first output is the mean of
 * the first window and each next one adds (entering - leaving) / size, in that order.
 */
function boxFilter1d(line: Float64Array, length: number, out: Float64Array): void {
  const half = (WINDOW - 1) / 2;
  const at = (p: number): number => {
    const q = p < 0 ? -p - 1 : p >= length ? 2 * length - p - 1 : p;
    return line[q]!;
  };
  let tmp = 0;
  for (let k = 0; k < WINDOW; k++) tmp += at(k - half);
  tmp /= WINDOW;
  out[0] = tmp;
  for (let i = 1; i < length; i++) {
    tmp += (at(i + half) - at(i - half - 1)) / WINDOW;
    out[i] = tmp;
  }
}
