/**
 * Axis ticks for the SVG charts: "nice" steps (1, 2 or 5 times a power of ten) that cover the data,
 * decade ticks for log axes, a thinned selection of categorical labels, and tick labels printed with
 * as many decimals as the step needs.
 */

export interface Ticks {
  /** The domain, widened to whole steps when `nice` (ticks then start and end on it). */
  min: number;
  max: number;
  step: number;
  values: number[];
}

/** The nice number (1, 2, 5 × 10^k) nearest to `x` (round) or the next one at or above it. */
export function niceNumber(x: number, round: boolean): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const exponent = Math.floor(Math.log10(x));
  const fraction = x / 10 ** exponent;
  let nice: number;
  if (round) nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  else nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * 10 ** exponent;
}

/** Removes floating-point noise such as 0.30000000000000004, relative to the step. */
function clean(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const rounded = Number(value.toFixed(Math.min(decimals, 20)));
  return Object.is(rounded, -0) ? 0 : rounded;
}

/**
 * About `count` ticks over [min, max] at a nice step. With `nice` (default) the domain is widened
 * to the ticks around the data; otherwise the ticks fall inside [min, max]. A single value or an
 * empty/non-finite range gets a small domain around it.
 */
export function niceTicks(min: number, max: number, count = 5, nice = true): Ticks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    min = 0;
    max = 1;
  }
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const target = Math.max(1, Math.round(count));
  const step = niceNumber((max - min) / target, true);
  const first = nice ? Math.floor(min / step + 1e-9) * step : Math.ceil(min / step - 1e-9) * step;
  const last = nice ? Math.ceil(max / step - 1e-9) * step : Math.floor(max / step + 1e-9) * step;
  const values: number[] = [];
  for (let i = 0, v = first; v <= last + step * 1e-9 && i < 1000; i++, v = first + i * step) values.push(clean(v, step));
  return nice ? { min: clean(first, step), max: clean(last, step), step, values } : { min, max, step, values };
}

/**
 * Ticks of a log10 axis over [min, max] (both > 0): the decades, with 2 and 5 in between when the
 * range spans few decades. The domain is widened to whole decades.
 */
export function logTicks(min: number, max: number): Ticks {
  if (!(min > 0) || !Number.isFinite(min)) min = Math.min(1, max > 0 && Number.isFinite(max) ? max : 1);
  if (!(max > 0) || !Number.isFinite(max)) max = min * 10;
  if (min > max) [min, max] = [max, min];
  const lo = Math.floor(Math.log10(min) + 1e-9);
  let hi = Math.ceil(Math.log10(max) - 1e-9);
  if (lo === hi) hi += 1;
  const decades = hi - lo;
  const multiples = decades <= 2 ? [1, 2, 5] : decades <= 3 ? [1, 3] : [1];
  const stride = Math.max(1, Math.ceil(decades / 8));
  const values: number[] = [];
  for (let e = lo; e < hi; e += stride) {
    for (const m of multiples) values.push(Number((m * 10 ** e).toPrecision(12)));
  }
  values.push(Number((10 ** hi).toPrecision(12)));
  return { min: 10 ** lo, max: 10 ** hi, step: 10, values };
}

/** Indices of at most `max` categorical labels, spread as evenly as they can be, always the first and last. */
export function categoricalTicks(count: number, max = 8): number[] {
  if (count <= 0) return [];
  const k = Math.max(2, Math.min(count, Math.floor(max)));
  if (count <= k) return Array.from({ length: count }, (_, i) => i);
  const indices = Array.from({ length: k }, (_, i) => Math.round((i * (count - 1)) / (k - 1)));
  return [...new Set(indices)];
}

/**
 * A tick label: as many decimals as the step needs (0.25 steps: "0.25", "0.5"), thousands grouped
 * with thin spaces, and exponent notation for very large or very small magnitudes.
 */
export function formatTick(value: number, step: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.max(Math.abs(value), Math.abs(step));
  if (magnitude >= 1e6 || (magnitude < 1e-3 && magnitude > 0)) {
    const digits = Math.max(0, Math.min(6, Math.floor(Math.log10(Math.abs(value))) - Math.floor(Math.log10(Math.abs(step)))));
    return value.toExponential(digits).replace(/\.?0+e/, 'e').replace('e+', 'e');
  }
  const decimals = Math.max(0, Math.min(10, -Math.floor(Math.log10(step) + 1e-9)));
  const fixed = value.toFixed(decimals);
  const trimmed = decimals > 0 ? fixed.replace(/\.?0+$/, '') : fixed;
  const [int, frac] = trimmed.split('.');
  const grouped = Math.abs(value) >= 10_000 ? int!.replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009') : int!;
  return (frac ? `${grouped}.${frac}` : grouped).replace(/^-/, '\u2212');
}

/** A value in a summary or data table: four significant digits, no exponent for ordinary magnitudes. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e6 || abs < 1e-3) return value.toExponential(2).replace('e+', 'e');
  return String(Number(value.toPrecision(4)));
}
