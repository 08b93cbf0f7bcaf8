import { bootstrapMean } from '../metrics/aggregate';
import type { AuditResult } from '../../../shared/contract/audit';
import { massFlagThresholds } from '../../../shared/metrics/diagnostics';

export interface StoredResult {
  path: string;
  label: string | null;
  predicted: string;
  confidence: number;
  metrics: Record<string, number>;
}

/** Thresholds of the flags, with the reason each gives. */
export const flagRules = {
  truthMass: { below: massFlagThresholds.truthMass.below, reason: (v: number) => `only ${(100 * v).toFixed(0)}% of the attribution lies on the ground truth` },
  regionMass: { above: massFlagThresholds.regionMass.above, reason: (v: number) => `${(100 * v).toFixed(0)}% of the attribution lies on a marked region of interest` },
  borderMass: { above: massFlagThresholds.borderMass.above, reason: (v: number) => `${(100 * v).toFixed(0)}% of the attribution lies on the image border` },
  cornerMass: { above: massFlagThresholds.cornerMass.above, reason: (v: number) => `${(100 * v).toFixed(0)}% of the attribution lies in the corners` },
  confidentMistake: 0.8,
};

/** A prediction is right when the model's label equals the dataset's, ignoring case and outer spaces. */
export const sameLabel = (a: string | null, b: string): boolean => a !== null && a.trim().toLowerCase() === b.trim().toLowerCase();

/** Why an image's result is suspicious (empty when it is not): the audit's flags, for one row. */
export function flagReasons(r: StoredResult): string[] {
  const reasons: string[] = [];
  const m = r.metrics;
  if (m['truthMass'] !== undefined && m['truthMass'] < flagRules.truthMass.below) reasons.push(flagRules.truthMass.reason(m['truthMass']));
  if (m['pointing-game'] === 0) reasons.push('the maximum of the attribution is off the ground truth (pointing game miss)');
  if (m['regionMass'] !== undefined && m['regionMass'] > flagRules.regionMass.above) reasons.push(flagRules.regionMass.reason(m['regionMass']));
  if (m['borderMass']! > flagRules.borderMass.above) reasons.push(flagRules.borderMass.reason(m['borderMass']!));
  if (m['cornerMass']! > flagRules.cornerMass.above) reasons.push(flagRules.cornerMass.reason(m['cornerMass']!));
  if (r.label !== null && !sameLabel(r.label, r.predicted) && r.confidence > flagRules.confidentMistake) {
    reasons.push(`misclassified as "${r.predicted}" with ${(100 * r.confidence).toFixed(0)}% confidence`);
  }
  return reasons;
}

/**
 * The audit's summary from its stored results: accuracy and mean confidence per dataset label (a
 * prediction is right when the model's label for it equals the dataset's, ignoring case), metric
 * means with bootstrap intervals, and the flagged images with their reasons, worst first.
 */
export function auditReport(rows: StoredResult[]): Pick<AuditResult, 'perClass' | 'metrics' | 'flags'> {
  const labels = [...new Set(rows.map((r) => r.label).filter((l): l is string => l !== null))].sort();
  const perClass = labels.map((label) => {
    const mine = rows.filter((r) => r.label === label);
    return {
      label,
      images: mine.length,
      accuracy: mine.filter((r) => sameLabel(r.label, r.predicted)).length / mine.length,
      meanConfidence: mine.reduce((s, r) => s + r.confidence, 0) / mine.length,
    };
  });
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))].sort();
  const metrics = names.map((metric) => {
    const values = rows.map((r) => r.metrics[metric]).filter((v): v is number => v !== undefined && Number.isFinite(v));
    const s = bootstrapMean(values, { seed: 0 });
    return { metric, n: s.n, mean: s.mean, ciLow: s.ciLow, ciHigh: s.ciHigh };
  });
  const flags = rows
    .map((r) => ({ path: r.path, label: r.label, predicted: r.predicted, confidence: r.confidence, reasons: flagReasons(r) }))
    .filter((f) => f.reasons.length > 0)
    .sort((a, b) => b.reasons.length - a.reasons.length || b.confidence - a.confidence || a.path.localeCompare(b.path));
  return { perClass, metrics, flags };
}

/** The per-image results as CSV (RFC 4180 quoting), for spreadsheets. */
export function auditCsv(rows: StoredResult[], flags: AuditResult['flags'] = auditReport(rows).flags): string {
  const report = new Map(flags.map((f) => [f.path, f.reasons.join('; ')]));
  const metricNames = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))].sort();
  const quote = (v: unknown): string => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const header = ['path', 'label', 'predicted', 'confidence', 'correct', ...metricNames, 'flags'];
  const lines = rows.map((r) => [r.path, r.label, r.predicted, r.confidence, r.label === null ? '' : sameLabel(r.label, r.predicted) ? 1 : 0, ...metricNames.map((m) => r.metrics[m]), report.get(r.path) ?? ''].map(quote).join(','));
  return [header.join(','), ...lines].join('\n') + '\n';
}
