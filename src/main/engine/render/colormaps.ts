import { z } from 'zod';

/**
 * Colour maps as 256-entry sRGB lookup tables. Each map is a path through CIELAB (D65) given by a
 * few anchors, sampled at equal arc length, so neighbouring entries are equally far apart to the
 * eye (CIE76 colour difference) along the whole map. The anchors are Lumen's own; none of these is
 * matplotlib's viridis or RdBu, though they serve the same purposes.
 *
 * - `sequential`: magnitudes. Dark violet (L* 15) through blue, teal and green to yellow (L* 92);
 *   lightness rises steadily, so order reads correctly in grayscale print and for colour-blind
 *   readers (the hues avoid a red-green contrast).
 * - `grayscale`: black (index 0) to white (255), linear in L*.
 * - `diverging`: signed values. Blue (index 0, L* 35) through white to red (index 255, L* 35).
 *   The halves mirror each other: entries i and 255 - i have the same lightness and chroma, so
 *   +x and -x look equally strong, and zero (between entries 127 and 128) is white.
 */
export const colormapNames = ['sequential', 'diverging', 'grayscale'] as const;
export const ColormapName = z.enum(colormapNames);
export type ColormapName = z.infer<typeof ColormapName>;

/** A CIELAB colour given as lightness, chroma and hue angle in degrees (CIE LCh). */
type Lch = readonly [number, number, number];

const sequentialAnchors: Lch[] = [
  [15, 38, 305],
  [32, 42, 280],
  [48, 32, 235],
  [62, 38, 175],
  [76, 55, 135],
  [92, 75, 100],
];

const grayscaleAnchors: Lch[] = [
  [0, 0, 0],
  [100, 0, 0],
];

/** One half of the diverging map, from the white centre out to the end; the hue is set per side. */
const divergingHalf: readonly (readonly [number, number])[] = [
  [100, 0],
  [72, 30],
  [35, 48],
];
const blueHue = 285;
const redHue = 30;

const tables = new Map<ColormapName, Uint8Array>();

/** The map as 256 RGB triples (768 bytes, r g b r g b ...); a fresh copy the caller may change. */
export function lookupTable(name: ColormapName): Uint8Array {
  let table = tables.get(name);
  if (!table) {
    table = build(name);
    tables.set(name, table);
  }
  return table.slice();
}

function build(name: ColormapName): Uint8Array {
  const table = new Uint8Array(256 * 3);
  const put = (i: number, lab: readonly number[]): void => table.set(labToSrgb8(lab), i * 3);
  if (name === 'diverging') {
    const blue = divergingHalf.map(([L, C]) => lchToLab([L, C, blueHue]));
    const red = divergingHalf.map(([L, C]) => lchToLab([L, C, redHue]));
    for (let i = 0; i < 256; i++) {
      // Entry i stands for the value (2i - 255) / 255 in [-1, 1].
      const s = (2 * i - 255) / 255;
      put(i, pointAlong(s < 0 ? blue : red, Math.abs(s)));
    }
  } else {
    const path = (name === 'sequential' ? sequentialAnchors : grayscaleAnchors).map(lchToLab);
    for (let i = 0; i < 256; i++) put(i, pointAlong(path, i / 255));
  }
  return table;
}

function lchToLab([L, C, h]: Lch): number[] {
  const radians = (h * Math.PI) / 180;
  return [L, C * Math.cos(radians), C * Math.sin(radians)];
}

/** The point a fraction t (0..1) of the way along a polyline in Lab, measured by arc length. */
function pointAlong(path: readonly number[][], t: number): number[] {
  const lengths = path.slice(1).map((p, k) => Math.hypot(...p.map((v, j) => v - path[k]![j]!)));
  let remaining = t * lengths.reduce((sum, d) => sum + d, 0);
  for (let k = 0; k < lengths.length; k++) {
    const d = lengths[k]!;
    if (remaining <= d || k === lengths.length - 1) {
      const f = d === 0 ? 0 : Math.min(remaining / d, 1);
      return path[k]!.map((v, j) => v + f * (path[k + 1]![j]! - v));
    }
    remaining -= d;
  }
  return path[0]!.slice();
}

/** CIELAB (D65 white) -> 8-bit sRGB, clipping the rare out-of-gamut channel. */
function labToSrgb8([L, a, b]: readonly number[]): number[] {
  const fy = (L! + 16) / 116;
  const f = (t: number): number => (t > 6 / 29 ? t ** 3 : 3 * (6 / 29) ** 2 * (t - 4 / 29));
  const X = 0.95047 * f(fy + a! / 500);
  const Y = f(fy);
  const Z = 1.08883 * f(fy - b! / 200);
  const linear = [
    3.2404542 * X - 1.5371385 * Y - 0.4985314 * Z,
    -0.969266 * X + 1.8760108 * Y + 0.041556 * Z,
    0.0556434 * X - 0.2040259 * Y + 1.0572252 * Z,
  ];
  return linear.map((c) => {
    const v = Math.min(Math.max(c, 0), 1);
    return Math.round(255 * (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055));
  });
}
