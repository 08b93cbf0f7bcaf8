import { directionText, metricLabel, metricMeaning } from '../../../shared/metrics/metric-meaning';
import { escapeHtml as e } from './html-escape';

/**
 * What the figures in a table mean, for a printed report (no tooltips on paper): one line per
 * figure with its name, which way is better and its meaning; a diagnostic also says why it is
 * there. From the same shared source as the app's tooltips.
 */
export function metricMeaningsHtml(ids: readonly string[]): string {
  const items = [...new Set(ids)].map((id) => {
    const m = metricMeaning(id);
    if (!m) return `<li><b>${e(metricLabel(id))}</b></li>`;
    return `<li><b>${e(m.label)}</b> (${e(directionText[m.direction])}): ${e(m.meaning)}${m.diagnostic ? ` ${e(m.diagnostic)}` : ''}</li>`;
  });
  return items.length > 0 ? `<ul class="meanings">${items.join('')}</ul>` : '';
}
