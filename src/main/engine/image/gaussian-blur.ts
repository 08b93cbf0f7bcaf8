/**
 * Gaussian blur of the spatial axes of an image tensor, with scipy.ndimage.gaussian_filter's
 * conventions: truncate 4.0, and either mode "reflect" (d c b a | a b c d | d c b a, scipy's
 * default, used for blurred baselines) or "constant" (zeros outside, what PAIR saliency's Blur IG
 * uses).
 */
export type BlurMode = 'reflect' | 'constant';

export function gaussianKernel(sigma: number, truncate = 4): Float64Array {
  const radius = Math.floor(truncate * sigma + 0.5);
  const kernel = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp((-0.5 * i * i) / (sigma * sigma));
    kernel[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i]! /= sum;
  return kernel;
}

/** Index into [0, n) with scipy's "reflect" extension. */
function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * n;
  let k = ((i % period) + period) % period;
  if (k >= n) k = period - 1 - k;
  return k;
}

function blurAxis(data: Float32Array, outer: number, length: number, stride: number, kernel: Float64Array, mode: BlurMode): Float32Array {
  const out = new Float32Array(data.length);
  const radius = (kernel.length - 1) / 2;
  const line = new Float64Array(length);
  for (let o = 0; o < outer; o++) {
    const base = Math.floor(o / stride) * stride * length + (o % stride);
    for (let i = 0; i < length; i++) line[i] = data[base + i * stride]!;
    for (let i = 0; i < length; i++) {
      let acc = 0;
      if (mode === 'reflect') {
        for (let k = -radius; k <= radius; k++) acc += kernel[k + radius]! * line[reflect(i + k, length)]!;
      } else {
        const from = Math.max(-radius, -i);
        const to = Math.min(radius, length - 1 - i);
        for (let k = from; k <= to; k++) acc += kernel[k + radius]! * line[i + k]!;
      }
      out[base + i * stride] = acc;
    }
  }
  return out;
}

/**
 * Blurs `data` laid out as `layout` ('NCHW' data is [C,H,W], 'NHWC' is [H,W,C]) with the same
 * sigma (pixels) along height and width; channels are never mixed.
 */
export function gaussianBlur(
  data: Float32Array,
  layout: 'NCHW' | 'NHWC',
  channels: number,
  height: number,
  width: number,
  sigma: number,
  mode: BlurMode = 'reflect',
): Float32Array {
  if (sigma <= 0) return data.slice();
  const kernel = gaussianKernel(sigma);
  if (layout === 'NCHW') {
    // Width: contiguous lines; height: stride W.
    const alongW = blurAxis(data, channels * height, width, 1, kernel, mode);
    return blurAxis(alongW, channels * width, height, width, kernel, mode);
  }
  // [H, W, C]: width has stride C, height has stride W*C.
  const alongW = blurAxis(data, height * channels, width, channels, kernel, mode);
  return blurAxis(alongW, width * channels, height, width * channels, kernel, mode);
}
