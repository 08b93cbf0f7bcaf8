/**
 * The geometry of LineChart: scales, ticks, one SVG path per series (broken where a value is not
 * finite), the shaded area under a curve, and marker positions. Kept apart from the component so
 * that it can be checked without a DOM.
 */
import type { MetricOutcome } from '../contract/evaluation';
import { categoricalTicks, formatTick, logTicks, niceTicks, type Ticks } from './ticks';

/** A series to plot: a MetricCurve (name, x, y, axis labels, optional categorical x labels). */
export type ChartSeries = Pick<MetricOutcome['curves'][number], 'name' | 'x' | 'y'> & {
  xLabel?: string;
  yLabel?: string;
  labels?: string[];
};

export interface ChartOptions {
  width: number;
  height: number;
  xScale: 'linear' | 'log';
  /** A fixed y range; otherwise nice bounds around the data. */
  yDomain?: readonly [number, number] | undefined;
  /** Series (by name) whose area down to y = 0 is shaded; 0 is then kept in the y range. */
  filled: ReadonlySet<string>;
}

export interface Tick {
  value: number;
  /** Pixel position along the axis (x for the x axis, y for the y axis). */
  pos: number;
  label: string;
}

export interface PlottedPoint {
  x: number;
  y: number;
  px: number;
  py: number;
  label?: string;
}

export interface PlottedSeries {
  name: string;
  index: number;
  /** The line: one subpath per run of finite points ('' when there is none). */
  path: string;
  /** The shaded area under the line, when asked for. */
  area?: string;
  points: PlottedPoint[];
}

export interface ChartLayout {
  plot: { left: number; top: number; width: number; height: number };
  xTicks: Tick[];
  yTicks: Tick[];
  /** Categorical x labels are rotated when they do not fit side by side. */
  rotateX: boolean;
  /** Pixel y of the value 0 (or of the nearest domain edge). */
  zeroY: number;
  series: PlottedSeries[];
  empty: boolean;
}

/** Colours of the series: theme variables where the theme defines them, fallbacks that read on dark and light. */
export const seriesColors = [
  'var(--chart-1, var(--accent))',
  'var(--chart-2, #e8903c)',
  'var(--chart-3, #3fb67f)',
  'var(--chart-4, #b57cf2)',
  'var(--chart-5, var(--danger))',
  'var(--chart-6, #c9a227)',
] as const;

/** Dash patterns, so that series differ by more than colour. */
export const seriesDashes = ['', '6 3', '2 3', '8 3 2 3', '12 4', '1 4'] as const;

export const seriesColor = (i: number): string => seriesColors[i % seriesColors.length]!;
export const seriesDash = (i: number): string => seriesDashes[i % seriesDashes.length]!;

const CHAR = 6.2; // approximate width of an 11px tick-label character
const MAX_LABEL = 18; // categorical labels are cut to this many characters

/** A categorical label cut to fit under the axis (the whole label is in the data table and tooltip). */
export function shortCategory(label: string): string {
  return label.length <= MAX_LABEL ? label : `…${label.slice(-(MAX_LABEL - 1))}`;
}

/** Log tick labels: 0.001, 0.5, 20, 1e6. */
function formatLogTick(v: number): string {
  const abs = Math.abs(v);
  if (abs >= 1e5 || (abs < 1e-3 && abs > 0)) return v.toExponential(0).replace('e+', 'e');
  return String(Number(v.toPrecision(6)));
}

function finiteRange(values: Iterable<number>, positiveOnly = false): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (positiveOnly && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/** The categorical labels of the chart: those of the first series that has them. */
export function categories(series: readonly ChartSeries[]): { x: number[]; labels: string[] } | undefined {
  const s = series.find((c) => c.labels && c.labels.length > 0 && c.labels.length === c.x.length);
  return s ? { x: s.x, labels: s.labels! } : undefined;
}

export function layoutChart(series: readonly ChartSeries[], options: ChartOptions): ChartLayout {
  const { width, height, xScale, yDomain, filled } = options;
  const log = xScale === 'log';
  const cats = categories(series);
  const pairs = series.flatMap((s) => s.x.map((x, i) => [x, s.y[i] ?? NaN] as const)).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!log || x > 0));
  const empty = pairs.length === 0;

  // y: nice bounds around the data (with 0 when an area is shaded) or the fixed domain.
  const yData = finiteRange(pairs.map(([, y]) => y)) ?? [0, 1];
  if (filled.size > 0) {
    yData[0] = Math.min(yData[0], 0);
    yData[1] = Math.max(yData[1], 0);
  }
  const yt: Ticks = yDomain ? niceTicks(yDomain[0], yDomain[1], 5, false) : niceTicks(yData[0], yData[1], 5);
  const yLabels = yt.values.map((v) => formatTick(v, yt.step));

  // x: categories at their positions, decades on a log axis, nice ticks otherwise.
  const xData = finiteRange(pairs.map(([x]) => x), log) ?? (log ? [1, 10] : [0, 1]);
  let xt: Ticks;
  let xTickValues: Array<{ value: number; label: string }>;
  if (cats) {
    const spacing = cats.x.length > 1 ? (xData[1] - xData[0]) / (cats.x.length - 1) : 1;
    xt = { min: xData[0] - spacing / 2, max: xData[1] + spacing / 2, step: spacing, values: cats.x };
    xTickValues = categoricalTicks(cats.labels.length, Math.max(2, Math.floor(width / 70))).map((i) => ({ value: cats.x[i]!, label: shortCategory(cats.labels[i]!) }));
  } else if (log) {
    xt = logTicks(xData[0], xData[1]);
    xTickValues = xt.values.map((v) => ({ value: v, label: formatLogTick(v) }));
  } else {
    xt = niceTicks(xData[0], xData[1], Math.max(2, Math.round(width / 90)));
    xTickValues = xt.values.map((v) => ({ value: v, label: formatTick(v, xt.step) }));
  }

  // Margins from the longest labels.
  const yLabelWidth = Math.max(...yLabels.map((l) => l.length), 1) * CHAR;
  const left = Math.ceil(22 + yLabelWidth + 6);
  const right = 14;
  const top = 10;
  const plotWidth = Math.max(10, width - left - right);
  const longestX = Math.max(...xTickValues.map((t) => t.label.length), 1) * CHAR;
  const rotateX = cats !== undefined && xTickValues.length > 1 && longestX > (plotWidth / xTickValues.length) * 0.9;
  const bottom = Math.ceil(rotateX ? 34 + longestX * Math.sin(Math.PI / 4) : 40);
  const plotHeight = Math.max(10, height - top - bottom);

  const sx = (x: number): number => {
    const t = log ? (Math.log10(x) - Math.log10(xt.min)) / (Math.log10(xt.max) - Math.log10(xt.min)) : (x - xt.min) / (xt.max - xt.min || 1);
    return left + t * plotWidth;
  };
  const sy = (y: number): number => top + plotHeight - ((y - yt.min) / (yt.max - yt.min || 1)) * plotHeight;
  const r = (v: number): number => Math.round(v * 100) / 100;
  const zeroY = r(sy(Math.min(Math.max(0, yt.min), yt.max)));

  const plotted: PlottedSeries[] = series.map((s, index) => {
    const points: PlottedPoint[] = [];
    const runs: PlottedPoint[][] = [];
    let run: PlottedPoint[] = [];
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i]!;
      const y = s.y[i] ?? NaN;
      if (!Number.isFinite(x) || !Number.isFinite(y) || (log && x <= 0)) {
        if (run.length > 0) runs.push(run);
        run = [];
        continue;
      }
      const p: PlottedPoint = { x, y, px: r(sx(x)), py: r(sy(Math.min(Math.max(y, yt.min), yt.max))) };
      const label = s.labels?.[i];
      if (label !== undefined) p.label = label;
      points.push(p);
      run.push(p);
    }
    if (run.length > 0) runs.push(run);
    const path = runs.map((rp) => rp.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.px},${p.py}`).join('')).join('');
    const out: PlottedSeries = { name: s.name, index, path, points };
    if (filled.has(s.name)) {
      out.area = runs
        .filter((rp) => rp.length > 1)
        .map((rp) => `M${rp[0]!.px},${zeroY}${rp.map((p) => `L${p.px},${p.py}`).join('')}L${rp.at(-1)!.px},${zeroY}Z`)
        .join('');
    }
    return out;
  });

  return {
    plot: { left, top, width: plotWidth, height: plotHeight },
    xTicks: xTickValues.map((t) => ({ ...t, pos: r(sx(t.value)) })),
    yTicks: yt.values.map((v, i) => ({ value: v, pos: r(sy(v)), label: yLabels[i]! })),
    rotateX,
    zeroY,
    series: plotted,
    empty,
  };
}

/** Whether every series has the same x values (the data table then has one column per series). */
export function sharedX(series: readonly ChartSeries[]): boolean {
  const first = series[0];
  return first !== undefined && series.every((s) => s.x.length === first.x.length && s.x.every((v, i) => v === first.x[i]));
}
