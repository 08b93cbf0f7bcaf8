import { describe, expect, it } from 'vitest';
import { colormapNames, lookupTable } from '../../../../src/main/engine/render/colormaps';

/** sRGB (8-bit) -> CIELAB, D65; written independently of the module's Lab -> sRGB direction. */
function srgbToLab(r: number, g: number, b: number): [number, number, number] {
  const linear = (c: number): number => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  const [R, G, B] = [linear(r), linear(g), linear(b)];
  const X = (0.4124564 * R + 0.3575761 * G + 0.1804375 * B) / 0.95047;
  const Y = 0.2126729 * R + 0.7151522 * G + 0.072175 * B;
  const Z = (0.0193339 * R + 0.119192 * G + 0.9503041 * B) / 1.08883;
  const f = (t: number): number => (t > (6 / 29) ** 3 ? Math.cbrt(t) : t / (3 * (6 / 29) ** 2) + 4 / 29);
  return [116 * f(Y) - 16, 500 * (f(X) - f(Y)), 200 * (f(Y) - f(Z))];
}

function labs(name: (typeof colormapNames)[number]): [number, number, number][] {
  const t = lookupTable(name);
  return Array.from({ length: 256 }, (_, i) => srgbToLab(t[3 * i]!, t[3 * i + 1]!, t[3 * i + 2]!));
}

const distance = (p: number[], q: number[]): number => Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!);
const chroma = (p: number[]): number => Math.hypot(p[1]!, p[2]!);
const rgb = (t: Uint8Array, i: number): number[] => Array.from(t.subarray(3 * i, 3 * i + 3));

describe('lookupTable', () => {
  it('gives 256 RGB triples per map, as a copy the caller may change', () => {
    expect(colormapNames).toEqual(['sequential', 'diverging', 'grayscale']);
    for (const name of colormapNames) {
      const t = lookupTable(name);
      expect(t).toBeInstanceOf(Uint8Array);
      expect(t.length).toBe(768);
      t.fill(7);
      expect(lookupTable(name)).not.toEqual(t);
    }
  });
});

describe('sequential', () => {
  const lab = labs('sequential');

  it('rises in lightness from L* 15 to L* 92', () => {
    expect(lab[0]![0]).toBeCloseTo(15, 0);
    expect(lab[255]![0]).toBeCloseTo(92, 0);
    for (let i = 1; i < 256; i++) {
      // 8-bit rounding can move L* by a few hundredths between neighbours; over 4 entries it must rise.
      expect(lab[i]![0]).toBeGreaterThan(lab[i - 1]![0] - 0.1);
      if (i >= 4) expect(lab[i]![0]).toBeGreaterThan(lab[i - 4]![0]);
    }
  });

  it('is perceptually uniform: equal colour differences over equal index spans', () => {
    const spans: number[] = [];
    for (let i = 0; i + 16 < 256; i += 16) spans.push(distance(lab[i]!, lab[i + 16]!));
    const mean = spans.reduce((a, b) => a + b) / spans.length;
    for (const d of spans) expect(Math.abs(d - mean) / mean).toBeLessThan(0.15);
  });

  it('runs from a dark violet to a yellow', () => {
    const t = lookupTable('sequential');
    const [r0, g0, b0] = rgb(t, 0);
    expect(b0).toBeGreaterThan(r0!);
    expect(r0).toBeGreaterThan(g0!);
    const [r1, g1, b1] = rgb(t, 255);
    expect(Math.min(r1!, g1!)).toBeGreaterThan(200);
    expect(b1).toBeLessThan(120);
  });
});

describe('grayscale', () => {
  it('is gray from black to white, linear in L*', () => {
    const t = lookupTable('grayscale');
    const lab = labs('grayscale');
    expect(rgb(t, 0)).toEqual([0, 0, 0]);
    expect(rgb(t, 255)).toEqual([255, 255, 255]);
    for (let i = 0; i < 256; i++) {
      expect(t[3 * i]).toBe(t[3 * i + 1]);
      expect(t[3 * i]).toBe(t[3 * i + 2]);
      if (i > 0) expect(t[3 * i]).toBeGreaterThanOrEqual(t[3 * i - 3]!);
      expect(Math.abs(lab[i]![0] - (100 * i) / 255)).toBeLessThan(1.6); // about one 8-bit step in the darks
    }
  });
});

describe('diverging', () => {
  const t = lookupTable('diverging');
  const lab = labs('diverging');

  it('mirrors lightness and chroma around the middle: entry i matches entry 255 - i', () => {
    for (let i = 0; i < 128; i++) {
      expect(Math.abs(lab[i]![0] - lab[255 - i]![0])).toBeLessThan(1);
      expect(Math.abs(chroma(lab[i]!) - chroma(lab[255 - i]!))).toBeLessThan(1);
    }
  });

  it('is white at the centre and darkens steadily towards both ends', () => {
    for (const i of [127, 128]) expect(distance(lab[i]!, [100, 0, 0])).toBeLessThan(1.5);
    for (let i = 129; i < 256; i++) expect(lab[i]![0]).toBeLessThan(lab[i - 1]![0] + 0.1);
    expect(lab[0]![0]).toBeCloseTo(35, 0);
    expect(lab[255]![0]).toBeCloseTo(35, 0);
  });

  it('is blue at index 0 and red at index 255', () => {
    const [r0, g0, b0] = rgb(t, 0);
    expect(b0).toBeGreaterThan(Math.max(r0!, g0!) + 60);
    const [r1, g1, b1] = rgb(t, 255);
    expect(r1).toBeGreaterThan(Math.max(g1!, b1!) + 60);
  });
});
