/**
 * sRGB (0..1, channels last) to CIE L*a*b* under the D65 illuminant and the 2-degree observer, the
 * conversion scikit-image's rgb2lab makes (and so the colour space its SLIC clusters in).
 */
const XYZ_FROM_RGB = [
  [0.412453, 0.35758, 0.180423],
  [0.212671, 0.71516, 0.072169],
  [0.019334, 0.119193, 0.950227],
] as const;
const D65_WHITE = [0.95047, 1, 1.08883] as const;

function linearise(v: number): number {
  return v > 0.04045 ? Math.pow((v + 0.055) / 1.055, 2.4) : v / 12.92;
}

function labCurve(t: number): number {
  return t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116;
}

export function rgbToLab(rgb: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rgb.length);
  for (let p = 0; p < rgb.length; p += 3) {
    const r = linearise(rgb[p]!);
    const g = linearise(rgb[p + 1]!);
    const b = linearise(rgb[p + 2]!);
    const [fx, fy, fz] = XYZ_FROM_RGB.map((row, i) => labCurve((row[0] * r + row[1] * g + row[2] * b) / D65_WHITE[i]!)) as [number, number, number];
    out[p] = 116 * fy - 16;
    out[p + 1] = 500 * (fx - fy);
    out[p + 2] = 200 * (fy - fz);
  }
  return out;
}
