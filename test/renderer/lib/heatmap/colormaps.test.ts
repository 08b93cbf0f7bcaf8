import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { colormaps, colormapsOfKind, getColormap, LUT_SIZE, resolveColormap, type Colormap } from '../../../../src/renderer/src/lib/heatmap/colormaps';

/**
 * The published 256-entry tables (matplotlib's _cm_listed.py, CC0), committed as test fixtures:
 * one "r g b" line per entry, the published six decimals.
 */
function publishedTable(name: string): number[][] {
  const text = readFileSync(new URL(`../../../fixtures/colormaps/${name}.txt`, import.meta.url), 'utf8');
  return text.trim().split('\n').map((line) => line.trim().split(/\s+/).map(Number));
}

/** CIE L* of an 8-bit sRGB colour (D65), written out here independently of color-space.ts. */
function lightness(r: number, g: number, b: number): number {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const Y = 0.2126729 * lin(r) + 0.7151522 * lin(g) + 0.072175 * lin(b);
  return Y > (6 / 29) ** 3 ? 116 * Math.cbrt(Y) - 16 : (29 / 3) ** 3 * Y;
}

const entry = (map: Colormap, i: number): number[] => Array.from(map.lut.subarray(i * 3, i * 3 + 3));
const L = (map: Colormap, i: number): number => lightness(...(entry(map, i) as [number, number, number]));

describe('colormaps', () => {
  it('each has an id, a label, a kind and a 256 x RGB table', () => {
    expect(colormaps.map((c) => c.id)).toEqual(['viridis', 'magma', 'inferno', 'cividis', 'gray', 'coolwarm', 'rdbu']);
    for (const c of colormaps) {
      expect(c.lut).toBeInstanceOf(Uint8Array);
      expect(c.lut.length).toBe(LUT_SIZE * 3);
      expect(c.label.length).toBeGreaterThan(0);
    }
    expect(colormapsOfKind('diverging').map((c) => c.id)).toEqual(['coolwarm', 'rdbu']);
    expect(colormapsOfKind('sequential').map((c) => c.id)).toEqual(['viridis', 'magma', 'inferno', 'cividis', 'gray']);
  });

  it('ends at the published colours (matplotlib tables x 255, rounded)', () => {
    const ends: Record<string, [number[], number[]]> = {
      // viridis [0.267004, 0.004874, 0.329415] .. [0.993248, 0.906157, 0.143936]
      viridis: [
        [68, 1, 84],
        [253, 231, 37],
      ],
      // magma [0.001462, 0.000466, 0.013866] .. [0.987053, 0.991438, 0.749504]
      magma: [
        [0, 0, 4],
        [252, 253, 191],
      ],
      // inferno .. [0.988362, 0.998364, 0.644924]
      inferno: [
        [0, 0, 4],
        [252, 255, 164],
      ],
      // cividis [0, 0.135112, 0.304751] .. [0.995737, 0.909344, 0.217772]
      cividis: [
        [0, 34, 78],
        [254, 232, 56],
      ],
      gray: [
        [0, 0, 0],
        [255, 255, 255],
      ],
      // Moreland's cool and warm ends.
      coolwarm: [
        [59, 76, 192],
        [180, 4, 38],
      ],
      rdbu: [
        [5, 48, 97],
        [103, 0, 31],
      ],
    };
    for (const c of colormaps) {
      expect(entry(c, 0), c.id).toEqual(ends[c.id]![0]);
      expect(entry(c, 255), c.id).toEqual(ends[c.id]![1]);
    }
  });

  it.each(['viridis', 'magma', 'inferno', 'cividis'] as const)('%s is the published table, entry by entry (each value x 255, rounded)', (id) => {
    const published = publishedTable(id);
    expect(published).toHaveLength(LUT_SIZE);
    const lut = getColormap(id).lut;
    const expected = published.flatMap((rgb) => rgb.map((v) => Math.floor(v * 255 + 0.5)));
    expect(Array.from(lut)).toEqual(expected);
  });

  it('the committed tables agree with values transcribed separately from matplotlib (interior entries)', () => {
    // Read from _cm_listed.py on their own, not from the fixtures: a slip in either shows here.
    const published: Array<[string, number, [number, number, number]]> = [
      ['viridis', 100, [0.166617, 0.463708, 0.558119]],
      ['viridis', 181, [0.281477, 0.755203, 0.432552]],
      ['magma', 77, [0.396467, 0.102902, 0.502658]],
      ['inferno', 131, [0.752794, 0.225706, 0.319085]],
      ['cividis', 25, [0.03211, 0.201199, 0.440785]],
      ['cividis', 251, [0.992218, 0.888385, 0.205468]],
    ];
    for (const [id, i, rgb] of published) expect(entry(getColormap(id as 'viridis'), i), `${id}[${i}]`).toEqual(rgb.map((v) => Math.round(v * 255)));
  });

  it('sequential maps rise in lightness (CIE L*) from end to end', () => {
    for (const c of colormapsOfKind('sequential')) {
      // Rounding to 8 bits makes a few neighbours of the published viridis and cividis tables tie
      // or dip by up to 0.03 L*; over 4 entries the rise is strict.
      for (let i = 1; i < LUT_SIZE; i++) expect(L(c, i), `${c.id}[${i}]`).toBeGreaterThan(L(c, i - 1) - 0.1);
      for (let i = 4; i < LUT_SIZE; i++) expect(L(c, i), `${c.id}[${i}]`).toBeGreaterThan(L(c, i - 4));
      expect(L(c, 255) - L(c, 0), c.id).toBeGreaterThan(70);
    }
  });

  it('grayscale is linear in L*', () => {
    const gray = getColormap('gray');
    for (let i = 0; i < LUT_SIZE; i++) expect(L(gray, i)).toBeCloseTo((100 * i) / 255, 0);
  });

  it('diverging maps are white-ish at the centre, mirror their lightness, and darken outwards', () => {
    for (const c of colormapsOfKind('diverging')) {
      for (const i of [127, 128]) {
        const [r, g, b] = entry(c, i) as [number, number, number];
        expect(Math.min(r, g, b), c.id).toBeGreaterThanOrEqual(215);
        expect(Math.max(r, g, b) - Math.min(r, g, b), c.id).toBeLessThanOrEqual(4);
      }
      for (let i = 0; i < 128; i++) expect(Math.abs(L(c, i) - L(c, 255 - i)), `${c.id}[${i}]`).toBeLessThan(1);
      for (let i = 1; i < 128; i++) expect(L(c, i), `${c.id}[${i}]`).toBeGreaterThanOrEqual(L(c, i - 1) - 0.05);
      // Negative is blue, positive red.
      const [r0, , b0] = entry(c, 0) as [number, number, number];
      const [r1, , b1] = entry(c, 255) as [number, number, number];
      expect(b0).toBeGreaterThan(r0);
      expect(r1).toBeGreaterThan(b1);
    }
  });

  it("coolwarm follows Moreland's published table", () => {
    // CoolWarmFloat33 rows at 0.0625, 0.25, 0.75 and 0.90625 (x 255).
    const rows: Array<[number, [number, number, number]]> = [
      [0.0625, [0.30386891, 0.406535296, 0.84495867]],
      [0.25, [0.552953156, 0.688929332, 0.995375608]],
      [0.75, [0.958003065, 0.602842431, 0.481775914]],
      [0.90625, [0.834620542, 0.312874446, 0.259301199]],
    ];
    const coolwarm = getColormap('coolwarm');
    for (const [t, rgb] of rows) {
      const got = entry(coolwarm, Math.round(t * 255));
      rgb.forEach((v, k) => expect(Math.abs(got[k]! - v * 255), `t=${t}`).toBeLessThanOrEqual(1.5));
    }
  });

  it('an unknown id resolves to viridis; getColormap rejects it', () => {
    expect(resolveColormap('jet').id).toBe('viridis');
    expect(resolveColormap('magma').id).toBe('magma');
    expect(() => getColormap('jet' as 'viridis')).toThrow(/unknown colormap/);
  });
});
