import { z } from 'zod';
import { LumenError } from '../../../shared/errors';

/**
 * How an attribution map becomes display values:
 * - `signed`: v / scale, clipped to [-1, 1]; scale is the percentile of |v|. Keeps evidence for
 *   (positive) and against (negative) the class apart.
 * - `absolute`: |v| / scale, clipped to [0, 1]; scale is the percentile of |v|.
 * - `positive`: max(v, 0) / scale, clipped to [0, 1]; scale is the percentile of max(v, 0).
 */
export const normalizeModes = ['signed', 'absolute', 'positive'] as const;
export const NormalizeMode = z.enum(normalizeModes);
export type NormalizeMode = z.infer<typeof NormalizeMode>;

/**
 * Scaling by a high percentile rather than the maximum keeps a few extreme pixels (common in
 * gradient maps) from washing out the rest; PAIR saliency's visualisations do the same (at 99).
 */
export const defaultPercentile = 99.5;

export interface NormalizeOptions {
  mode: NormalizeMode;
  /** In (0, 100]; 100 scales by the maximum. */
  percentile?: number;
}

export interface NormalizedMap {
  /** Same length as the map: in [-1, 1] for `signed`, [0, 1] otherwise; never NaN. */
  values: Float32Array;
  /** What the magnitudes were divided by; 0 when the map is zero everywhere. */
  scale: number;
  mode: NormalizeMode;
  /** NaN and infinite entries, counted and then treated as 0, so a caller can warn. */
  nonFinite: number;
}

export function normalizeMap(map: ArrayLike<number>, options: NormalizeOptions): NormalizedMap {
  const { mode } = options;
  const p = options.percentile ?? defaultPercentile;
  if (!(p > 0 && p <= 100)) {
    throw new LumenError('invalid-argument', `The normalisation percentile must be above 0 and at most 100, not ${p}.`, `Use ${defaultPercentile} (the default) to ignore the most extreme 0.5% of values, or 100 to scale by the maximum.`);
  }
  const n = map.length;
  const finite = new Float32Array(n);
  const magnitudes = new Float32Array(n);
  let nonFinite = 0;
  for (let i = 0; i < n; i++) {
    const v = map[i]!;
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue; // stays 0 in both arrays
    }
    finite[i] = v;
    magnitudes[i] = mode === 'positive' ? Math.max(v, 0) : Math.abs(v);
  }

  let scale = percentileOf(magnitudes, p);
  // A map that is zero almost everywhere has a zero percentile; its maximum still shows where the
  // rest is, instead of dividing by zero.
  if (!(scale > 0)) scale = magnitudes.reduce((m, v) => Math.max(m, v), 0);

  const values = new Float32Array(n);
  if (scale > 0) {
    const source = mode === 'signed' ? finite : magnitudes;
    const low = mode === 'signed' ? -1 : 0;
    for (let i = 0; i < n; i++) values[i] = Math.min(Math.max(source[i]! / scale, low), 1);
  }
  return { values, scale, mode, nonFinite };
}

/**
 * The p-th percentile with linear interpolation between the two nearest ranks, numpy.percentile's
 * default, computed exactly on a sorted copy. 0 for an empty array.
 */
export function percentileOf(values: Float32Array, p: number): number {
  if (values.length === 0) return 0;
  const sorted = values.slice().sort();
  const position = (p / 100) * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const fraction = position - below;
  return sorted[below]! + fraction * (sorted[above]! - sorted[below]!);
}
