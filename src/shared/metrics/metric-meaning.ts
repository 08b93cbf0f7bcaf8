import { diagnosticEntry } from './diagnostics';
import { metricEntry } from './catalogue';

/** Which way a figure is better; diagnostics are neither. */
export type MetricDirection = 'higher' | 'lower' | 'neither';

/** What a person reading a metric's value needs: a name, which way is better and what it means. */
export interface MetricMeaning {
  id: string;
  label: string;
  direction: MetricDirection;
  /** One line: what the figure measures. */
  meaning: string;
  /** Set for diagnostics: why the figure is shown although it was not asked for. */
  diagnostic?: string;
}

export const directionText: Record<MetricDirection, string> = {
  higher: 'higher is better',
  lower: 'lower is better',
  neither: 'neither: a diagnostic',
};

/** An arrow for tables where the words do not fit (the words go in the tooltip); none for diagnostics. */
export const directionArrow: Record<MetricDirection, string> = { higher: '↑', lower: '↓', neither: '' };

/**
 * The meaning of any figure id Lumen stores or shows: a catalogue metric or an audit diagnostic.
 * Undefined for an id nothing produces (a test iterates every producer to keep that empty).
 */
export function metricMeaning(id: string): MetricMeaning | undefined {
  const metric = metricEntry(id);
  if (metric) return { id, label: metric.label, direction: metric.higherIsBetter ? 'higher' : 'lower', meaning: metric.summary };
  const diagnostic = diagnosticEntry(id);
  if (diagnostic) return { id, label: diagnostic.label, direction: 'neither', meaning: diagnostic.summary, diagnostic: diagnostic.why };
  return undefined;
}

/**
 * The name to show for a figure id: its label, or, for an id nobody described (an older project's
 * figure), the id spelt out in words rather than as code ("someMass" -> "some mass").
 */
export function metricLabel(id: string): string {
  return metricMeaning(id)?.label ?? id.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[-_]/g, ' ').toLowerCase();
}

/** "Deletion (lower is better)" */
export function metricHeading(id: string): string {
  const m = metricMeaning(id);
  return m ? `${m.label} (${directionText[m.direction]})` : metricLabel(id);
}

/** The tooltip text: meaning, direction and, for a diagnostic, why it is there. */
export function metricTooltip(id: string): string {
  const m = metricMeaning(id);
  if (!m) return metricLabel(id);
  return [`${m.label}: ${m.meaning}`, directionText[m.direction][0]!.toUpperCase() + directionText[m.direction].slice(1) + '.', m.diagnostic ?? ''].filter(Boolean).join(' ');
}

/** Whether a figure is a diagnostic (shown apart from the metrics that were asked for). */
export function isDiagnostic(id: string): boolean {
  return metricMeaning(id)?.direction === 'neither';
}
