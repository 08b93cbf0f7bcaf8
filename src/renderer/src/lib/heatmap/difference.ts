/**
 * The difference of two maps of the same size, for a "where do these explanations disagree" view.
 *
 * Raw attributions of two methods (or models) are on unrelated scales, so each map is first
 * normalised by its own display range, as each would be shown on its own: |v| / s or
 * max(v, 0) / s in [0, 1], or v / s in [-1, 1] when signed, clipped at the percentile. The
 * difference a - b is then in [-1, 1] (or [-2, 2] for signed maps) and is drawn on a diverging
 * colormap centred on 0: red where a says more than b, blue where b says more.
 */
import { displayRange, type DisplayRange, type NormaliseOptions } from './normalise';

export interface MapDifference {
  /** a - b after per-map normalisation, row-major like the inputs. */
  readonly data: Float32Array;
  /** Symmetric around 0, mode `signed`: the whole possible span, so the scale never moves. */
  readonly range: DisplayRange;
  /** The ranges each map was normalised with (for the two maps' own colour bars). */
  readonly rangeA: DisplayRange;
  readonly rangeB: DisplayRange;
}

export function difference(a: Float32Array, b: Float32Array, options: NormaliseOptions, out: Float32Array = new Float32Array(a.length)): MapDifference {
  if (a.length !== b.length) throw new RangeError(`cannot subtract maps of ${a.length} and ${b.length} values`);
  const rangeA = displayRange(a, options);
  const rangeB = displayRange(b, options);
  const ua = unitValue(rangeA);
  const ub = unitValue(rangeB);
  for (let i = 0; i < a.length; i++) out[i] = ua(a[i]!) - ub(b[i]!);
  const span = options.mode === 'signed' ? 2 : 1;
  return { data: out, range: { mode: 'signed', min: -span, max: span }, rangeA, rangeB };
}

/** A value as the fraction of its map's range it is shown at (non-finite values count as 0). */
function unitValue(range: DisplayRange): (v: number) => number {
  const s = range.max;
  const low = range.mode === 'signed' ? -1 : 0;
  return (v) => {
    if (!Number.isFinite(v)) return 0;
    const x = range.mode === 'absolute' ? Math.abs(v) : v;
    return Math.min(Math.max(x / s, low), 1);
  };
}
