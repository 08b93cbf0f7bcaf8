import { layoutChart, seriesDash, type ChartSeries } from '../../../shared/charts/line-chart';
import { escapeHtml } from './html-escape';

/** Series colours on paper (the UI's fallbacks, fixed: a report has no theme variables). */
export const printColors = ['#2f6fdf', '#e8903c', '#3fb67f', '#b57cf2', '#d64545', '#c9a227'] as const;
export const printColor = (i: number): string => printColors[i % printColors.length]!;

/**
 * A metric's curves (deletion, insertion, ...) as an inline SVG line chart, laid out by the UI's
 * chart geometry (shared/charts/line-chart.ts): same ticks, same paths; colours and dashes per series.
 */
export function curveSvg(series: readonly ChartSeries[], options: { width: number; height: number; title: string; xLabel: string; yLabel: string; filled?: boolean }): string {
  const { width, height } = options;
  const layout = layoutChart(series, { width, height, xScale: 'linear', filled: options.filled ? new Set(series.map((s) => s.name)) : new Set() });
  const { plot } = layout;
  const parts: string[] = [];
  parts.push(`<rect x="${plot.left}" y="${plot.top}" width="${plot.width}" height="${plot.height}" fill="none" stroke="#999" stroke-width="0.8"/>`);
  for (const t of layout.yTicks) {
    parts.push(`<line x1="${plot.left}" x2="${plot.left + plot.width}" y1="${t.pos}" y2="${t.pos}" stroke="#ddd" stroke-width="0.6"/>`);
    parts.push(`<text x="${plot.left - 5}" y="${t.pos + 3.5}" text-anchor="end" font-size="10">${escapeHtml(t.label)}</text>`);
  }
  for (const t of layout.xTicks) {
    parts.push(`<line x1="${t.pos}" x2="${t.pos}" y1="${plot.top + plot.height}" y2="${plot.top + plot.height + 4}" stroke="#999" stroke-width="0.8"/>`);
    parts.push(`<text x="${t.pos}" y="${plot.top + plot.height + 15}" text-anchor="middle" font-size="10">${escapeHtml(t.label)}</text>`);
  }
  for (const s of layout.series) {
    const color = printColor(s.index);
    if (s.area) parts.push(`<path d="${s.area}" fill="${color}" fill-opacity="0.12" stroke="none"/>`);
    if (s.path) parts.push(`<path d="${s.path}" fill="none" stroke="${color}" stroke-width="1.8" stroke-dasharray="${seriesDash(s.index)}"/>`);
  }
  parts.push(`<text x="${plot.left + plot.width / 2}" y="${height - 4}" text-anchor="middle" font-size="10.5">${escapeHtml(options.xLabel)}</text>`);
  parts.push(`<text transform="translate(11 ${plot.top + plot.height / 2}) rotate(-90)" text-anchor="middle" font-size="10.5">${escapeHtml(options.yLabel)}</text>`);
  const legend = layout.series
    .map((s) => `<span class="key"><svg width="22" height="8" aria-hidden="true"><line x1="1" x2="21" y1="4" y2="4" stroke="${printColor(s.index)}" stroke-width="2" stroke-dasharray="${seriesDash(s.index)}"/></svg>${escapeHtml(s.name)}</span>`)
    .join(' ');
  return `<figure class="chart"><svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(options.title)}" font-family="sans-serif" fill="#222">${parts.join('')}</svg><figcaption><b>${escapeHtml(options.title)}</b> ${legend}</figcaption></figure>`;
}
