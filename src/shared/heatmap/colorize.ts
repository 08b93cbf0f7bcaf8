/**
 * The per-pixel colour rule of the heat map, on the CPU: the Canvas 2D backend's inner loop, kept
 * free of the DOM so it can be tested against a direct computation. The WebGL2 fragment shader
 * (webgl-heatmap.ts) implements the same rule; keep the two in step:
 *
 *   v      = |value| in absolute mode, else value
 *   t      = clamp(v * scale + offset, 0, 1)              (unitTransform of the display range)
 *   entry  = floor(t * 255 + 0.5)                          (nearest of the 256 LUT entries)
 *   inside the mask:  rgba = (lut[entry], round(opacity * 255))
 *   outside the mask: rgba = (0, 0, 0, round(outsideOpacity * 255))
 *
 * Colour and alpha are straight (not premultiplied), as ImageData expects.
 */
import { LUT_SIZE } from './colormaps';
import type { UnitTransform } from './normalise';
import type { RegionMask } from './xrai-mask';

export interface ColorizeParams {
  /** 256 RGB triples. */
  readonly lut: Uint8Array;
  readonly transform: UnitTransform;
  /** Alpha of the heat map over the image, 0..1. */
  readonly opacity: number;
  readonly mask?: RegionMask | null;
  /** Alpha of the black veil drawn outside the mask, 0..1 (0: the image shows through). */
  readonly outsideOpacity?: number;
}

const littleEndian = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** One RGBA pixel as the Uint32 that writes those four bytes in memory order. */
export function packRgba(r: number, g: number, b: number, a: number): number {
  return littleEndian ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
}

export function alphaByte(opacity: number): number {
  return Math.round(Math.min(Math.max(opacity, 0), 1) * 255);
}

/** The LUT with alpha baked in, as packed pixels: one store per pixel in the loop. */
export function packLut(lut: Uint8Array, opacity: number, out: Uint32Array = new Uint32Array(LUT_SIZE)): Uint32Array {
  const a = alphaByte(opacity);
  for (let i = 0; i < LUT_SIZE; i++) out[i] = packRgba(lut[i * 3]!, lut[i * 3 + 1]!, lut[i * 3 + 2]!, a);
  return out;
}

/**
 * Colours `map` (finite values; the renderer replaces NaN and infinities by 0 when the map is set)
 * into `out`, RGBA bytes, 4 per value. `packed` may be passed to reuse a buffer across calls.
 */
export function colorize(map: Float32Array, params: ColorizeParams, out: Uint8ClampedArray | Uint8Array, packed?: Uint32Array): void {
  if (out.length < map.length * 4) throw new RangeError(`the output holds ${out.length / 4} pixels, the map ${map.length}`);
  if (out.byteOffset % 4 !== 0) throw new RangeError('the output buffer must be 4-byte aligned');
  const colours = packLut(params.lut, params.opacity, packed);
  const pixels = new Uint32Array(out.buffer, out.byteOffset, map.length);
  const { scale, offset, magnitude } = params.transform;
  const n = map.length;
  const mask = params.mask;
  if (!mask) {
    // The hot path (no mask): kept branch-light, ~1 ms for 512 x 512.
    for (let i = 0; i < n; i++) {
      let v = map[i]!;
      if (magnitude && v < 0) v = -v;
      let t = v * scale + offset;
      t = t > 0 ? (t < 1 ? t : 1) : 0;
      pixels[i] = colours[(t * 255 + 0.5) | 0]!;
    }
    return;
  }
  const outside = packRgba(0, 0, 0, alphaByte(params.outsideOpacity ?? 0));
  const { ranks, included } = mask;
  if (ranks.length !== n) throw new RangeError(`the mask covers ${ranks.length} pixels, the map ${n}`);
  const limit = included.length;
  for (let i = 0; i < n; i++) {
    const rank = ranks[i]!;
    if (!(rank > 0 && rank < limit && included[rank] === 1)) {
      pixels[i] = outside;
      continue;
    }
    let v = map[i]!;
    if (magnitude && v < 0) v = -v;
    let t = v * scale + offset;
    t = t > 0 ? (t < 1 ? t : 1) : 0;
    pixels[i] = colours[(t * 255 + 0.5) | 0]!;
  }
}
