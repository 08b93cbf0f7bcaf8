/**
 * Display ranges: which attribution values the ends of the colormap stand for.
 *
 * - `absolute`: |v| over [0, s], s the p-th percentile of |v|. Where the model looked, either way.
 * - `signed`: v over [-s, s], s the p-th percentile of |v|; the range is symmetric so that 0 sits
 *   at the centre of a diverging map and evidence for and against the class look equally strong.
 * - `positive`: v over [0, s], negatives clipped to the lowest colour, s the p-th percentile of
 *   max(v, 0) over all pixels.
 *
 * Every door draws with these ranges and the percentile rule of percentile.ts, so the workstation,
 * the report and `lumen attribute --png` agree. Clipping at a high percentile rather than the
 * maximum keeps a few extreme gradient pixels from washing out the rest of the map.
 */
import type { ColormapKind } from './colormaps';
import { magnitudePercentile } from './percentile';

export const normaliseModes = ['absolute', 'signed', 'positive'] as const;
export type NormaliseMode = (typeof normaliseModes)[number];

/** The engine's default too: ignore the most extreme 0.5% of values. */
export const DEFAULT_PERCENTILE = 99.5;

export interface NormaliseOptions {
  mode: NormaliseMode;
  /** In (0, 100]; 100 scales to the maximum. Default 99.5. */
  percentile?: number;
}

/**
 * Values min..max map to the colormap's first..last entry, clamped beyond. In `absolute` mode the
 * renderer takes |v| before applying the range.
 */
export interface DisplayRange {
  readonly mode: NormaliseMode;
  readonly min: number;
  readonly max: number;
}

/**
 * Any range the drawing code accepts. A range computed elsewhere may leave out the mode; its values
 * are then drawn as they are (no |v|), which is right for `signed` and `positive` ranges.
 */
export interface RangeLike {
  readonly min: number;
  readonly max: number;
  readonly mode?: NormaliseMode;
}

/** The display range of one map. */
export function displayRange(map: ArrayLike<number>, options: NormaliseOptions): DisplayRange {
  return sharedDisplayRange([map], options);
}

/**
 * One range over several maps together (the percentile of all their values pooled), so maps shown
 * side by side are on the same scale and a weaker map looks weaker.
 */
export function sharedDisplayRange(maps: readonly ArrayLike<number>[], options: NormaliseOptions): DisplayRange {
  const { mode } = options;
  const p = options.percentile ?? DEFAULT_PERCENTILE;
  const magnitude = mode === 'positive' ? 'positive' : 'abs';
  let s = magnitudePercentile(maps, p, magnitude);
  // A map that is zero almost everywhere has a zero percentile; its maximum still shows where the
  // rest is (the engine's rule). A map that is zero everywhere gets span 1: any span draws it in
  // the colour of 0, and a zero span would divide by zero downstream.
  if (!(s > 0)) s = magnitudePercentile(maps, 100, magnitude);
  if (!(s > 0)) s = 1;
  return { mode, min: mode === 'signed' ? -s : 0, max: s };
}

/**
 * The range a colormap is drawn with. A diverging map always keeps 0 at its white centre, so
 * magnitudes use its upper half; a sequential map spans the range as it is. The engine's PNG
 * export does the same. The heat-map layer and the colour bar both apply this, so they agree.
 */
export function rangeForColormap<R extends RangeLike>(range: R, kind: ColormapKind): R {
  if (kind !== 'diverging' || range.min < 0) return range;
  const s = Math.max(Math.abs(range.min), Math.abs(range.max));
  return { ...range, min: -s, max: s };
}

/** The affine map from a (magnitude-taken) value to the colormap position t = v * scale + offset. */
export interface UnitTransform {
  scale: number;
  offset: number;
  /** Take |v| first (`absolute` mode). */
  magnitude: boolean;
}

export function unitTransform(range: RangeLike): UnitTransform {
  const span = range.max - range.min;
  const magnitude = range.mode === 'absolute';
  // A hand-set empty range draws everything in the first colour instead of NaN.
  if (!(span > 0) || !Number.isFinite(span)) return { scale: 0, offset: 0, magnitude };
  return { scale: 1 / span, offset: -range.min / span, magnitude };
}

/** Whether a map has negative values, i.e. whether `signed` display tells more than `absolute`. */
export function hasNegative(map: ArrayLike<number>): boolean {
  for (let i = 0; i < map.length; i++) if (map[i]! < 0) return true;
  return false;
}
