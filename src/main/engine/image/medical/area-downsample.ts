/**
 * Shrinks one channel of values to `outWidth` x `outHeight` by area averaging: each output pixel
 * is the mean of the source area it covers, fractional pixels weighted by the part covered. This
 * keeps the mean of modality values exactly (a window applied afterwards sees the same tissue
 * values, not a resampling kernel's overshoot). Separable: rows first, then columns.
 */
export function areaDownsample(values: ArrayLike<number>, width: number, height: number, outWidth: number, outHeight: number): Float32Array {
  const xs = coverage(width, outWidth);
  const ys = coverage(height, outHeight);
  const rows = new Float64Array(height * outWidth);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < outWidth; x++) {
      let sum = 0;
      for (const [i, w] of xs[x]!) sum += values[y * width + i]! * w;
      rows[y * outWidth + x] = sum;
    }
  }
  const out = new Float32Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      let sum = 0;
      for (const [i, w] of ys[y]!) sum += rows[i * outWidth + x]! * w;
      out[y * outWidth + x] = sum;
    }
  }
  return out;
}

/** For each output index, the source indices it covers and their weights (summing to 1). */
function coverage(size: number, outSize: number): Array<Array<[number, number]>> {
  const step = size / outSize;
  return Array.from({ length: outSize }, (_, o) => {
    const start = o * step;
    const end = start + step;
    const parts: Array<[number, number]> = [];
    for (let i = Math.floor(start); i < Math.min(size, Math.ceil(end)); i++) {
      const covered = Math.min(end, i + 1) - Math.max(start, i);
      if (covered > 1e-12) parts.push([i, covered / step]);
    }
    return parts;
  });
}

/** The preview's size for an image: at most `maxSide` on the longer side, never enlarged. */
export function previewSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
