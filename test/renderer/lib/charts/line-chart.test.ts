import { describe, expect, it } from 'vitest';
import { layoutChart, sharedX, shortCategory, type ChartOptions, type ChartSeries } from '../../../../src/renderer/src/lib/charts/line-chart';

const options = (extra: Partial<ChartOptions> = {}): ChartOptions => ({ width: 480, height: 260, xScale: 'linear', filled: new Set(), ...extra });
const x = Array.from({ length: 11 }, (_, i) => i / 10);
const deletion: ChartSeries = { name: 'deletion', xLabel: 'fraction of pixels removed', yLabel: 'probability', x, y: x.map((v) => 0.9 * (1 - v) ** 2) };
const insertion: ChartSeries = { name: 'insertion', x, y: x.map((v) => 0.1 + 0.8 * Math.sqrt(v)) };

describe('layoutChart', () => {
  it('maps the data into the plot, y upwards, with nice ticks', () => {
    const l = layoutChart([deletion], options());
    const { left, top, width, height } = l.plot;
    expect(l.xTicks.map((t) => t.label)).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
    expect(l.yTicks[0]).toMatchObject({ value: 0, label: '0' });
    expect(l.yTicks.at(-1)!.value).toBe(1);
    const [first, last] = [l.series[0]!.points[0]!, l.series[0]!.points.at(-1)!];
    expect(first.px).toBeCloseTo(left, 1);
    expect(last.px).toBeCloseTo(left + width, 1);
    expect(last.py).toBeCloseTo(top + height, 1); // y = 0 at the bottom
    expect(first.py).toBeCloseTo(top + height * 0.1, 1); // 0.9 of a [0, 1] axis
    expect(l.series[0]!.path.match(/M/g)).toHaveLength(1);
    expect(l.series[0]!.path.match(/L/g)).toHaveLength(10);
    expect(l.empty).toBe(false);
  });

  it('breaks the line at values that are not finite', () => {
    const gappy: ChartSeries = { name: 'g', x: [0, 1, 2, 3, 4], y: [1, 2, NaN, 3, 4] };
    const l = layoutChart([gappy], options());
    expect(l.series[0]!.path.match(/M/g)).toHaveLength(2);
    expect(l.series[0]!.points).toHaveLength(4);
  });

  it('shades only the filled series, down to y = 0', () => {
    const l = layoutChart([deletion, insertion], options({ filled: new Set(['insertion']) }));
    expect(l.series[0]!.area).toBeUndefined();
    const area = l.series[1]!.area!;
    expect(area.startsWith(`M${l.series[1]!.points[0]!.px},${l.zeroY}`)).toBe(true);
    expect(area.endsWith('Z')).toBe(true);
    expect(l.zeroY).toBeCloseTo(l.plot.top + l.plot.height, 1);
  });

  it('keeps 0 in the y range when an area is shaded', () => {
    const high: ChartSeries = { name: 'h', x: [0, 1], y: [0.6, 0.9] };
    expect(layoutChart([high], options()).yTicks[0]!.value).toBeGreaterThan(0);
    expect(layoutChart([high], options({ filled: new Set(['h']) })).yTicks[0]!.value).toBe(0);
  });

  it('puts categorical labels at their x positions, thinned and cut when long', () => {
    const layers = Array.from({ length: 8 }, (_, i) => `/features/features.${i * 3}/Conv`);
    const cascade: ChartSeries = { name: 'spearman', x: layers.map((_, i) => i + 1), y: layers.map((_, i) => 1 - i / 8), labels: layers };
    const l = layoutChart([cascade], options());
    expect(l.xTicks.map((t) => t.value)).toEqual([1, 2, 4, 5, 7, 8]); // 6 of 8 fit in 480 units
    expect(l.xTicks[0]!.label).toBe(shortCategory(layers[0]!));
    expect(l.rotateX).toBe(true);
    expect(l.series[0]!.points[2]!.label).toBe(layers[2]);
    // The first and last categories sit inside the plot, half a step from its edges.
    expect(l.xTicks[0]!.pos).toBeGreaterThan(l.plot.left);
    expect(l.xTicks.at(-1)!.pos).toBeLessThan(l.plot.left + l.plot.width);
  });

  it('uses a log x axis on request, leaving out x <= 0', () => {
    const n: ChartSeries = { name: 'sensitivity-n', x: [0, 50, 150, 500, 1500, 5000, 15000, 40000], y: [0, 0.1, 0.2, 0.3, 0.35, 0.4, 0.38, 0.3] };
    const l = layoutChart([n], options({ xScale: 'log' }));
    expect(l.series[0]!.points).toHaveLength(7);
    expect(l.xTicks.map((t) => t.label)).toEqual(['10', '100', '1000', '10000', '1e5']);
  });

  it('is empty without finite data', () => {
    expect(layoutChart([], options()).empty).toBe(true);
    expect(layoutChart([{ name: 'a', x: [1], y: [NaN] }], options()).empty).toBe(true);
  });

  it('clamps to a fixed y domain', () => {
    const l = layoutChart([{ name: 'a', x: [0, 1], y: [-0.5, 2] }], options({ yDomain: [0, 1] }));
    expect(l.yTicks[0]!.value).toBe(0);
    expect(l.yTicks.at(-1)!.value).toBe(1);
    expect(l.series[0]!.points[1]!.py).toBeCloseTo(l.plot.top, 1);
  });
});

describe('sharedX and shortCategory', () => {
  it('tells whether series share x values', () => {
    expect(sharedX([deletion, insertion])).toBe(true);
    expect(sharedX([deletion, { name: 'b', x: [0, 1], y: [0, 1] }])).toBe(false);
  });

  it('cuts long category names from the front', () => {
    expect(shortCategory('conv1')).toBe('conv1');
    expect(shortCategory('/features/features.28/Conv')).toBe('…/features.28/Conv');
    expect(shortCategory('/features/features.28/Conv')).toHaveLength(18);
  });
});
