import type { LabelMap } from './image-input';

/**
 * A label map resized by nearest neighbour with pixel centres aligned (scikit-image's resize with
 * order 0, which XRAI uses to bring its 224 x 224 segmentations back to the input size). Labels
 * that no output pixel samples disappear; numbering is kept, so the count stays an upper bound.
 */
export function resizeLabels(map: LabelMap, height: number, width: number, outHeight: number, outWidth: number): LabelMap {
  if (height === outHeight && width === outWidth) return map;
  const source = (i: number, n: number, m: number): number => Math.min(n - 1, Math.floor(((i + 0.5) * n) / m));
  const columns = Int32Array.from({ length: outWidth }, (_, x) => source(x, width, outWidth));
  const labels = new Int32Array(outHeight * outWidth);
  for (let y = 0; y < outHeight; y++) {
    const row = source(y, height, outHeight) * width;
    for (let x = 0; x < outWidth; x++) labels[y * outWidth + x] = map.labels[row + columns[x]!]!;
  }
  return { labels, count: map.count };
}
