import type { AttributionResult } from '../../../../shared/contract/attribution';
import { difference, selectXraiRegions, sharedDisplayRange, type DisplayRange, type RegionMask } from '../heatmap';
import type { NormalisationMode } from './display.svelte';

/** The colour scale of one or several maps (several: one shared scale for side-by-side panels). */
export function displayRange(maps: readonly Float32Array[], mode: NormalisationMode, percentile: number): DisplayRange {
  return sharedDisplayRange(maps, { mode, percentile: clampPercentile(percentile) });
}

/** XRAI's top regions covering `area` of the image, from the precomputed ranking (no engine call). */
export function regionMask(regions: NonNullable<AttributionResult['regions']>, area: number): { mask: RegionMask; fraction: number; regions: number } {
  const selection = selectXraiRegions(regions, Math.min(1, Math.max(0.01, area)));
  return { mask: selection, fraction: selection.fraction, regions: selection.regionCount };
}

/** a − b after normalising each map on its own, for the difference panel (range −1..1 or −2..2). */
export function differenceMap(
  a: { data: Float32Array; width: number; height: number },
  b: { data: Float32Array; width: number; height: number },
  mode: NormalisationMode,
  percentile: number,
): { map: { data: Float32Array; width: number; height: number }; range: DisplayRange } | null {
  if (a.width !== b.width || a.height !== b.height) return null;
  const d = difference(a.data, b.data, { mode, percentile: clampPercentile(percentile) });
  return { map: { data: d.data, width: a.width, height: a.height }, range: d.range };
}

/** A percentile typed into the form may be out of range or empty: keep the scale sensible. */
function clampPercentile(p: number): number {
  return Number.isFinite(p) ? Math.min(100, Math.max(50, p)) : 99.5;
}
