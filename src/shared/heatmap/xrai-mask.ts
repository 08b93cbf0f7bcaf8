/**
 * XRAI's "top regions" mask for an area threshold, computed in the renderer as the slider moves.
 *
 * The rule is the engine's `areaThreshold` (topRegionsMask in
 * src/main/engine/methods/xrai/select-regions.ts): take whole regions in rank order while the
 * area taken so far is below threshold x pixels, so the last region taken may overshoot and the
 * highlighted area is at least the one asked for (never an empty mask for a small threshold).
 * `cumulativeArea` in the result is a fraction of the image, but the comparison is made on integer
 * pixel counts (`area`) against threshold x pixelCount, exactly as the engine does, so the UI and
 * `lumen attribute --params '{"areaThreshold":0.1}'` pick the same regions even at ties.
 *
 * A slider move costs O(regions) here (which ranks are in) and O(pixels) to draw: the renderer
 * looks each pixel's rank up in the `included` table (on the GPU: a texture lookup), so the
 * per-pixel mask is never rebuilt.
 */
import type { AttributionResult } from '../contract/attribution';

export type XraiRegions = NonNullable<AttributionResult['regions']>;

/** The UI slider's bounds; the engine accepts any threshold in (0, 1]. */
export const XRAI_MIN_THRESHOLD = 0.01;
export const XRAI_MAX_THRESHOLD = 1;

/**
 * A mask as per-pixel region ranks plus a rank -> shown lookup. Ranks of 0 or below (no region),
 * and ranks beyond the table, are outside the mask. A plain binary mask is the special case
 * ranks = 0/1 and included = [0, 1] (see binaryMask).
 */
export interface RegionMask {
  readonly ranks: Int32Array;
  /** included[rank] is 1 when that rank is shown. */
  readonly included: Uint8Array;
}

export interface XraiSelection extends RegionMask {
  readonly threshold: number;
  /** How many regions are shown. */
  readonly regionCount: number;
  /** Shown pixels / all pixels: the highlighted fraction of the image (the engine's maskArea). */
  readonly fraction: number;
}

/** Which regions the engine's `areaThreshold` rule shows for this threshold in (0, 1]. */
export function selectXraiRegions(regions: XraiRegions, threshold: number): XraiSelection {
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`the XRAI area threshold must be in (0, 1], not ${threshold}`);
  const pixelCount = regions.ranks.length;
  const ordered = [...regions.list].sort((a, b) => a.rank - b.rank);
  const maxRank = ordered.length === 0 ? 0 : ordered[ordered.length - 1]!.rank;
  const included = new Uint8Array(maxRank + 1);
  let area = 0;
  let regionCount = 0;
  for (const region of ordered) {
    if (area >= threshold * pixelCount) break;
    included[region.rank] = 1;
    area += region.area;
    regionCount++;
  }
  return { ranks: regions.ranks, included, threshold, regionCount, fraction: pixelCount === 0 ? 0 : area / pixelCount };
}

/** Whether pixel p is inside a region mask. */
export function insideMask(mask: RegionMask, p: number): boolean {
  const rank = mask.ranks[p]!;
  return rank > 0 && rank < mask.included.length && mask.included[rank] === 1;
}

/** The mask as one byte per pixel (1 = shown), e.g. for export; the renderer does not need it. */
export function maskPixels(mask: RegionMask, out: Uint8Array = new Uint8Array(mask.ranks.length)): Uint8Array {
  const { ranks, included } = mask;
  const limit = included.length;
  for (let p = 0; p < ranks.length; p++) {
    const rank = ranks[p]!;
    out[p] = rank > 0 && rank < limit ? included[rank]! : 0;
  }
  return out;
}

/** A plain binary mask (non-zero = shown) in region-mask form, for the same renderer path. */
export function binaryMask(pixels: ArrayLike<number>): RegionMask {
  const ranks = new Int32Array(pixels.length);
  for (let p = 0; p < pixels.length; p++) ranks[p] = pixels[p] ? 1 : 0;
  return { ranks, included: Uint8Array.of(0, 1) };
}
