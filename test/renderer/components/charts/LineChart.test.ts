// @vitest-environment jsdom
import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import LineChart from '../../../../src/renderer/src/components/charts/LineChart.svelte';
import type { ChartSeries } from '../../../../src/renderer/src/lib/charts/line-chart';

const x = Array.from({ length: 11 }, (_, i) => i / 10);
const deletion: ChartSeries = { name: 'deletion', xLabel: 'fraction of pixels removed', yLabel: 'probability', x, y: x.map((v) => 0.9 * (1 - v) ** 2) };
const insertion: ChartSeries = { name: 'insertion', xLabel: 'fraction of pixels inserted', yLabel: 'probability', x, y: x.map((v) => 0.1 + 0.8 * Math.sqrt(v)) };

const texts = (root: Element, selector: string): string[] => [...root.querySelectorAll(selector)].map((e) => e.textContent?.trim() ?? '');

describe('LineChart', () => {
  it('draws one path per series, with a legend and tick labels', () => {
    const { container } = render(LineChart, { props: { title: 'Deletion and insertion', curves: [deletion, insertion] } });
    const svg = screen.getByRole('img');
    const lines = svg.querySelectorAll('path.line');
    expect(lines).toHaveLength(2);
    expect([...lines].map((p) => p.getAttribute('data-series'))).toEqual(['deletion', 'insertion']);
    expect(lines[0]!.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){10}$/);
    // Series differ by dash pattern as well as colour.
    expect(lines[0]!.getAttribute('stroke-dasharray')).toBeNull();
    expect(lines[1]!.getAttribute('stroke-dasharray')).toBe('6 3');
    expect((lines[0] as SVGPathElement).style.stroke).toContain('var(--chart-1, var(--accent))');

    expect(texts(svg, '.axis.x .tick')).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
    expect(texts(svg, '.axis.y .tick')).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
    // Deletion removes pixels, insertion adds them: the shared x axis says both.
    expect(texts(svg, '.axis .title')).toEqual(['probability', 'fraction of pixels removed or inserted']);

    const legend = screen.getByRole('list', { name: 'Series' });
    expect(within(legend).getAllByRole('listitem').map((li) => li.textContent?.trim())).toEqual(['deletion', 'insertion']);
    expect(container.querySelector('figcaption')?.textContent).toBe('Deletion and insertion');
    expect(svg.querySelectorAll('path.area')).toHaveLength(0);
  });

  it('summarises the chart in its accessible name and lists the data in a table', () => {
    render(LineChart, { props: { title: 'Deletion', curves: [deletion] } });
    const svg = screen.getByRole('img');
    expect(svg.getAttribute('aria-label')).toBe(
      'Deletion. Line chart of probability against fraction of pixels removed. deletion: 11 points, from 0.9 to 0 (lowest 0, highest 0.9).',
    );
    const table = screen.getByRole('table');
    expect(table.querySelector('caption')?.textContent).toBe('Data of the chart: Deletion');
    expect(texts(table, 'thead th')).toEqual(['fraction of pixels removed', 'deletion']);
    expect(table.querySelectorAll('tbody tr')).toHaveLength(11);
    expect(texts(table, 'tbody tr:nth-child(2) > *')).toEqual(['0.1', '0.729']);
    // A single series needs no legend.
    expect(screen.queryByRole('list')).toBeNull();
  });

  it('shades the area under the chosen curves', () => {
    const { container } = render(LineChart, { props: { curves: [deletion, insertion], fillArea: ['insertion'] } });
    const areas = container.querySelectorAll('path.area');
    expect(areas).toHaveLength(1);
    expect(areas[0]!.getAttribute('data-series')).toBe('insertion');
    expect(areas[0]!.getAttribute('d')).toMatch(/Z$/);
    const all = render(LineChart, { props: { curves: [deletion, insertion], fillArea: true } });
    expect(all.container.querySelectorAll('path.area')).toHaveLength(2);
  });

  it('shows categorical x labels (a sanity-check cascade)', () => {
    const labels = ['logits', 'fc', 'conv5', 'conv4', 'conv3'];
    const curve = (name: string, y: number[]): ChartSeries => ({ name, xLabel: 'randomised down to layer', yLabel: 'similarity to the original map', x: [1, 2, 3, 4, 5], y, labels });
    render(LineChart, { props: { title: 'Sanity checks', curves: [curve('spearman', [0.9, 0.6, 0.4, 0.2, 0.1]), curve('ssim', [0.95, 0.8, 0.5, 0.4, 0.3])] } });
    const svg = screen.getByRole('img');
    expect(texts(svg, '.axis.x .tick')).toEqual(labels);
    expect(svg.querySelectorAll('path.line')).toHaveLength(2);
    // Short series get markers with a tooltip naming the layer.
    expect(svg.querySelectorAll('circle.marker')).toHaveLength(10);
    expect(svg.querySelector('circle.marker title')?.textContent).toBe('spearman: logits (1), 0.9');
    expect(texts(screen.getByRole('table'), 'tbody th')).toEqual(['logits (1)', 'fc (2)', 'conv5 (3)', 'conv4 (4)', 'conv3 (5)']);
  });

  it('draws points only in scatter mode, and says when there is nothing to plot', () => {
    const cloud: ChartSeries = { name: 'subsets', xLabel: 'summed attribution', yLabel: 'logit drop', x: [3, 1, 2, 5], y: [0.3, 0.1, 0.25, 0.4] };
    const { container } = render(LineChart, { props: { curves: [cloud], mode: 'scatter' } });
    expect(container.querySelectorAll('path.line')).toHaveLength(0);
    expect(container.querySelectorAll('circle.marker')).toHaveLength(4);
    expect(screen.getByRole('img').getAttribute('aria-label')).toMatch(/^Scatter plot of logit drop against summed attribution/);

    const empty = render(LineChart, { props: { curves: [] } });
    expect(empty.container.querySelector('svg')?.textContent).toContain('No data to plot.');
  });
});
