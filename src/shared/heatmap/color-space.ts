/**
 * The colour-space conversions the colormaps are built with: sRGB <-> CIE XYZ <-> CIELAB (D65)
 * and Moreland's Msh (polar CIELAB). Only used to build 256-entry tables once, so clarity wins
 * over speed. The white point and matrices are the sRGB standard's (IEC 61966-2-1), the same ones
 * the engine's colormaps use, so lightness figures agree across the app.
 */

export type Triple = readonly [number, number, number];

/** D65 reference white, Y normalised to 1. */
const white: Triple = [0.95047, 1, 1.08883];

/** sRGB component in [0, 1] -> linear light. */
export function srgbToLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Linear light -> sRGB component (out-of-gamut values stay out of [0, 1]; callers clip). */
export function linearToSrgb(c: number): number {
  return c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
}

/** sRGB in [0, 1] -> CIELAB. */
export function srgbToLab([r, g, b]: Triple): Triple {
  const R = srgbToLinear(r);
  const G = srgbToLinear(g);
  const B = srgbToLinear(b);
  const X = 0.4124564 * R + 0.3575761 * G + 0.1804375 * B;
  const Y = 0.2126729 * R + 0.7151522 * G + 0.072175 * B;
  const Z = 0.0193339 * R + 0.119192 * G + 0.9503041 * B;
  const f = (t: number): number => (t > (6 / 29) ** 3 ? Math.cbrt(t) : t / (3 * (6 / 29) ** 2) + 4 / 29);
  const fx = f(X / white[0]);
  const fy = f(Y / white[1]);
  const fz = f(Z / white[2]);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** CIELAB -> sRGB in [0, 1], clipped to the gamut channel by channel. */
export function labToSrgb([L, a, b]: Triple): Triple {
  const finv = (t: number): number => (t > 6 / 29 ? t ** 3 : 3 * (6 / 29) ** 2 * (t - 4 / 29));
  const fy = (L + 16) / 116;
  const X = white[0] * finv(fy + a / 500);
  const Y = white[1] * finv(fy);
  const Z = white[2] * finv(fy - b / 200);
  const R = 3.2404542 * X - 1.5371385 * Y - 0.4985314 * Z;
  const G = -0.969266 * X + 1.8760108 * Y + 0.041556 * Z;
  const B = 0.0556434 * X - 0.2040259 * Y + 1.0572252 * Z;
  const clip = (c: number): number => Math.min(Math.max(linearToSrgb(c), 0), 1);
  return [clip(R), clip(G), clip(B)];
}

/**
 * Msh, Moreland's polar form of CIELAB: M is the distance from black, s the angle away from the
 * grey axis (saturation), h the hue angle. Interpolating in it keeps lightness changes even.
 */
export function labToMsh([L, a, b]: Triple): Triple {
  const M = Math.hypot(L, a, b);
  return [M, M === 0 ? 0 : Math.acos(L / M), Math.atan2(b, a)];
}

export function mshToLab([M, s, h]: Triple): Triple {
  return [M * Math.cos(s), M * Math.sin(s) * Math.cos(h), M * Math.sin(s) * Math.sin(h)];
}

/** A float sRGB colour as 8-bit channels. */
export function toBytes([r, g, b]: Triple): Triple {
  const byte = (c: number): number => Math.round(Math.min(Math.max(c, 0), 1) * 255);
  return [byte(r), byte(g), byte(b)];
}
