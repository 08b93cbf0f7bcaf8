/**
 * Defaults given in pixels by the reference libraries (Captum's occlusion examples, PAIR saliency's
 * XRAI) assume an ImageNet input of 224 x 224. On a 28 px digit or a 2048 px radiograph the same
 * numbers mean something else entirely, so Lumen scales them with the input: lengths with the
 * shorter side / 224, areas with its square, rounded to whole pixels and kept above a minimum.
 * At 224 px every default is the reference library's own. A value the user gives is used as given.
 */

/** The input side the reference libraries' pixel defaults were chosen for. */
export const referenceSide = 224;

/** How a length or area default grows with the input, from its value at 224 px. */
export interface ScaledDefault {
  /** The reference library's value at a 224 px input. */
  at224: number;
  /** Never below this (a window of 1 px or a radius of 0 would change what the method does). */
  minimum: number;
  /** Never above this (the parameter's own upper bound), when it has one. */
  maximum?: number;
  /** Lengths scale with the side, areas with its square. */
  kind: 'length' | 'area';
}

export const occlusionWindowDefault: ScaledDefault = { at224: 16, minimum: 2, kind: 'length' };
export const occlusionStrideDefault: ScaledDefault = { at224: 8, minimum: 1, kind: 'length' };
export const xraiDilationDefault: ScaledDefault = { at224: 5, minimum: 1, maximum: 64, kind: 'length' };
export const xraiMinPixelDiffDefault: ScaledDefault = { at224: 50, minimum: 1, kind: 'area' };
/** Felzenszwalb's smallest segment, relative to the side of the image it segments (PAIR: 150 at 224). */
export const xraiMinSegmentDefault: ScaledDefault = { at224: 150, minimum: 1, kind: 'area' };

/** The default for an image whose shorter side is `side` pixels. */
export function scaledDefault(rule: ScaledDefault, side: number): number {
  const factor = side / referenceSide;
  const value = Math.round(rule.at224 * (rule.kind === 'area' ? factor * factor : factor));
  return Math.min(rule.maximum ?? Infinity, Math.max(rule.minimum, value));
}

/** The shorter side of an input, the side the defaults scale with. */
export function shorterSide(height: number, width: number): number {
  return Math.min(height, width);
}

/** The rule in words, for parameter help (`lumen methods` and the UI's forms). */
export function describeScaling(rule: ScaledDefault, unit: string, side: { what: string; name: string } = { what: 'input', name: "the input's shorter side" }): string {
  const how = rule.kind === 'area' ? `× (side / ${referenceSide})²` : `× side / ${referenceSide}`;
  const bounds = `at least ${rule.minimum}${rule.maximum === undefined ? '' : `, at most ${rule.maximum}`}`;
  return `Default: ${rule.at224} ${unit} at a ${referenceSide} px ${side.what}, scaled with ${side.name} (${rule.at224} ${how}, rounded, ${bounds}); a value you give is used as given.`;
}
