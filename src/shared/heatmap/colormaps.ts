/**
 * The colormaps of every door (the workstation's heat map, the report and `lumen attribute --png`),
 * as 256-entry RGB lookup tables built once at start-up. There is no other set.
 *
 * Sequential maps (magnitudes): viridis, magma, inferno and cividis are perceptually uniform and
 * their lightness rises monotonically, so "brighter = more" survives grayscale printing and
 * colour-vision deficiencies; cividis is optimised for the latter. They are the published 256-entry
 * tables (colormap-tables.ts), rounded to bytes, checked entry by entry. Grayscale is linear in CIE L*.
 * Rainbow maps (jet) are deliberately absent: their lightness bands invent edges in smooth maps.
 *
 * Diverging maps (signed values) put 0 at a near-white centre and mirror their lightness around
 * it, so +x and -x look equally strong:
 * - coolwarm: Kenneth Moreland (2009), "Diverging Color Maps for Scientific Visualization"
 *   (ISVC 2009), generated with his Msh interpolation from his published end colours.
 * - rdbu: ColorBrewer's 11-class RdBu (Cynthia Brewer, colorbrewer2.org), reversed so that
 *   negative is blue and positive red, interpolated in CIELAB.
 *
 * Entry i stands for t = i / 255 of the display range; lookups take the nearest entry
 * (round(t * 255)), in the colorize rule that all doors share.
 */
import { cividisTable, infernoTable, magmaTable, viridisTable } from './colormap-tables';
import { labToMsh, labToSrgb, mshToLab, srgbToLab, toBytes, type Triple } from './color-space';

export const LUT_SIZE = 256;

export const colormapIds = ['viridis', 'magma', 'inferno', 'cividis', 'gray', 'coolwarm', 'rdbu'] as const;
export type ColormapId = (typeof colormapIds)[number];
export type ColormapKind = 'sequential' | 'diverging';

/** The colormaps' names as the UI and the report show them. */
export const colormapLabels: Readonly<Record<ColormapId, string>> = {
  viridis: 'Viridis',
  magma: 'Magma',
  inferno: 'Inferno',
  cividis: 'Cividis (colour-vision friendly)',
  gray: 'Grayscale',
  coolwarm: 'Cool–warm (diverging)',
  rdbu: 'Blue–white–red (diverging)',
};

export interface Colormap {
  readonly id: ColormapId;
  readonly label: string;
  readonly kind: ColormapKind;
  /** 256 RGB triples, interleaved (r g b r g b ...), 768 bytes. Shared: do not modify. */
  readonly lut: Uint8Array;
}

/** A published table: 256 RGB triples, hex-encoded (colormap-tables.ts). */
function fromHex(hex: string): Uint8Array {
  const lut = new Uint8Array(LUT_SIZE * 3);
  for (let i = 0; i < lut.length; i++) lut[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return lut;
}

function fromFunction(colour: (t: number) => Triple): Uint8Array {
  const lut = new Uint8Array(LUT_SIZE * 3);
  for (let i = 0; i < LUT_SIZE; i++) lut.set(toBytes(colour(i / (LUT_SIZE - 1))), i * 3);
  return lut;
}

/** Black to white in equal steps of CIE L*, so equal value steps look equally large. */
function grayscale(t: number): Triple {
  return labToSrgb([100 * t, 0, 0]);
}

/** Moreland's end colours for cool-warm (sRGB in [0, 1]), as published in his paper. */
const cool: Triple = [0.23, 0.299, 0.754];
const warm: Triple = [0.706, 0.016, 0.15];

/**
 * Moreland's diverging interpolation in Msh: from each end, saturation falls to 0 at an unsaturated
 * white-ish centre of magnitude max(M1, M2, 88) while the hue is spun so that the path stays
 * perceptually even; the two halves then mirror each other in lightness.
 */
function coolwarm(t: number): Triple {
  let [M1, s1, h1] = labToMsh(srgbToLab(cool));
  let [M2, s2, h2] = labToMsh(srgbToLab(warm));
  let u = t;
  const hueGap = Math.abs(Math.atan2(Math.sin(h1 - h2), Math.cos(h1 - h2)));
  if (s1 > 0.05 && s2 > 0.05 && hueGap > Math.PI / 3) {
    const Mmid = Math.max(M1, M2, 88);
    if (u < 0.5) {
      [M2, s2, h2] = [Mmid, 0, 0];
      u = 2 * u;
    } else {
      [M1, s1, h1] = [Mmid, 0, 0];
      u = 2 * u - 1;
    }
  }
  if (s1 < 0.05 && s2 > 0.05) h1 = adjustHue([M2, s2, h2], M1);
  else if (s2 < 0.05 && s1 > 0.05) h2 = adjustHue([M1, s1, h1], M2);
  const mix = (a: number, b: number): number => (1 - u) * a + u * b;
  return labToSrgb(mshToLab([mix(M1, M2), mix(s1, s2), mix(h1, h2)]));
}

/** The hue an unsaturated colour of magnitude `Munsat` takes next to a saturated one (Moreland). */
function adjustHue([M, s, h]: Triple, Munsat: number): number {
  if (M >= Munsat) return h;
  const spin = (s * Math.sqrt(Munsat * Munsat - M * M)) / (M * Math.sin(s));
  return h > -Math.PI / 3 ? h + spin : h - spin;
}

/** ColorBrewer RdBu, 11 classes, from blue (negative) to red (positive). */
const rdbuAnchors: readonly string[] = ['053061', '2166ac', '4393c3', '92c5de', 'd1e5f0', 'f7f7f7', 'fddbc7', 'f4a582', 'd6604d', 'b2182b', '67001f'];

function hexToRgb(hex: string): Triple {
  const channel = (k: number): number => parseInt(hex.slice(k, k + 2), 16) / 255;
  return [channel(0), channel(2), channel(4)];
}

/**
 * Piecewise-linear in CIELAB between the ColorBrewer classes (even steps to the eye). ColorBrewer's
 * blue side is up to 4 L* lighter than its red side at the same distance from the centre; each
 * entry takes the mean lightness of itself and its mirror so that +x and -x weigh the same.
 */
function rdbu(): (t: number) => Triple {
  const labs = rdbuAnchors.map((hex) => srgbToLab(hexToRgb(hex)));
  const at = (t: number): Triple => {
    const x = t * (labs.length - 1);
    const k = Math.min(Math.floor(x), labs.length - 2);
    const f = x - k;
    const a = labs[k]!;
    const b = labs[k + 1]!;
    return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
  };
  return (t) => {
    const [L, a, b] = at(t);
    return labToSrgb([(L + at(1 - t)[0]) / 2, a, b]);
  };
}

const builders: Record<ColormapId, { kind: ColormapKind; build: () => Uint8Array }> = {
  viridis: { kind: 'sequential', build: () => fromHex(viridisTable) },
  magma: { kind: 'sequential', build: () => fromHex(magmaTable) },
  inferno: { kind: 'sequential', build: () => fromHex(infernoTable) },
  cividis: { kind: 'sequential', build: () => fromHex(cividisTable) },
  gray: { kind: 'sequential', build: () => fromFunction(grayscale) },
  coolwarm: { kind: 'diverging', build: () => fromFunction(coolwarm) },
  rdbu: { kind: 'diverging', build: () => fromFunction(rdbu()) },
};

/** Every colormap, in the order a picker lists them. Built once (well under a millisecond each). */
export const colormaps: readonly Colormap[] = colormapIds.map((id) =>
  Object.freeze({ id, label: colormapLabels[id], kind: builders[id].kind, lut: builders[id].build() }),
);

const byId = new Map(colormaps.map((c) => [c.id, c]));

export function isColormapId(id: string): id is ColormapId {
  return byId.has(id as ColormapId);
}

/** The colormap with this id; throws on an unknown id (a programming error, not user input). */
export function getColormap(id: ColormapId): Colormap {
  const map = byId.get(id);
  if (!map) throw new RangeError(`unknown colormap "${id}"`);
  return map;
}

/** The colormaps of one kind, in picker order (sequential for magnitudes, diverging for signs). */
export function colormapsOfKind(kind: ColormapKind): Colormap[] {
  return colormaps.filter((c) => c.kind === kind);
}

/**
 * The colormap with this id, or the default of its kind for an id this build does not know
 * (a setting saved by another version must not break drawing).
 */
export function resolveColormap(id: string, fallback: ColormapId = 'viridis'): Colormap {
  return byId.get(id as ColormapId) ?? getColormap(fallback);
}

/** The default for a display mode: signed values need a diverging map, magnitudes a sequential one. */
export function defaultColormap(signed: boolean): ColormapId {
  return signed ? 'coolwarm' : 'viridis';
}
