/**
 * Bilinear resampling of a single-channel map with half-pixel centres (align_corners = false),
 * as torch.nn.functional.interpolate(mode='bilinear', align_corners=False) and cv2.resize
 * (INTER_LINEAR) do it when upsampling: the source coordinate of output pixel i is
 * (i + 0.5) * in / out - 0.5, clamped to the image. This is how CAMs reach the input size.
 */
export function resizeBilinear(map: ArrayLike<number>, height: number, width: number, outHeight: number, outWidth: number): Float32Array {
  const out = new Float32Array(outHeight * outWidth);
  const ys = axisWeights(height, outHeight);
  const xs = axisWeights(width, outWidth);
  for (let y = 0; y < outHeight; y++) {
    const { i0: y0, i1: y1, t: ty } = ys[y]!;
    for (let x = 0; x < outWidth; x++) {
      const { i0: x0, i1: x1, t: tx } = xs[x]!;
      const top = map[y0 * width + x0]! * (1 - tx) + map[y0 * width + x1]! * tx;
      const bottom = map[y1 * width + x0]! * (1 - tx) + map[y1 * width + x1]! * tx;
      out[y * outWidth + x] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}

function axisWeights(size: number, outSize: number): Array<{ i0: number; i1: number; t: number }> {
  const scale = size / outSize;
  return Array.from({ length: outSize }, (_, i) => {
    const source = Math.max(0, (i + 0.5) * scale - 0.5);
    const i0 = Math.min(size - 1, Math.floor(source));
    const i1 = Math.min(size - 1, i0 + 1);
    return { i0, i1, t: source - i0 };
  });
}
