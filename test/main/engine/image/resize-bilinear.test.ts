import { describe, expect, it } from 'vitest';
import { resizeBilinear } from '../../../../src/main/engine/image/resize-bilinear';

/** The textbook form: each output pixel blends its four source corners (half-pixel centres, clamped). */
function fourCorners(map: ArrayLike<number>, height: number, width: number, outHeight: number, outWidth: number): Float32Array {
  const source = (i: number, size: number, outSize: number): [number, number, number] => {
    const s = Math.max(0, ((i + 0.5) * size) / outSize - 0.5);
    const i0 = Math.min(size - 1, Math.floor(s));
    return [i0, Math.min(size - 1, i0 + 1), s - i0];
  };
  const out = new Float32Array(outHeight * outWidth);
  for (let y = 0; y < outHeight; y++) {
    const [y0, y1, ty] = source(y, height, outHeight);
    for (let x = 0; x < outWidth; x++) {
      const [x0, x1, tx] = source(x, width, outWidth);
      const top = map[y0 * width + x0]! * (1 - tx) + map[y0 * width + x1]! * tx;
      const bottom = map[y1 * width + x0]! * (1 - tx) + map[y1 * width + x1]! * tx;
      out[y * outWidth + x] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}

function randomMap(length: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  });
}

describe('resizeBilinear', () => {
  it.each([
    [7, 7, 224, 224],
    [14, 14, 224, 224],
    [5, 9, 37, 61],
    [1, 1, 8, 8],
    [50, 40, 12, 9],
    [6, 6, 6, 6],
  ])('gives exactly the four-corner blend from %i x %i to %i x %i', (h, w, oh, ow) => {
    const map = randomMap(h * w, h * 31 + w);
    expect(resizeBilinear(map, h, w, oh, ow)).toEqual(fourCorners(map, h, w, oh, ow));
  });

  it('keeps a constant map constant and returns the map itself at the same size', () => {
    expect([...resizeBilinear(new Float32Array(9).fill(2.5), 3, 3, 10, 10)].every((v) => v === 2.5)).toBe(true);
    const map = randomMap(12, 3);
    expect(resizeBilinear(map, 3, 4, 3, 4)).toEqual(map);
  });
});
