import type { AuditResult } from '../../../shared/contract/audit';
import type { ModelCard } from '../../../shared/model-card';
import { findingThreshold, isMultiLabel } from '../../../shared/multilabel';
import { probabilities } from '../classify/scores';
import { findingMetrics } from '../metrics/finding-metrics';
import { auditReport, flagReasons, type StoredResult } from './audit-report';
import { parseFindingsLabel } from './multilabel-labels';
import type { ProjectStore } from './project-store';

/**
 * A multi-label audit: each image's result keeps every finding's probability (as `finding:<label>`
 * in its stored figures, so shards, merges and the CSV carry them like any other figure), and the
 * summary gives per finding AUROC, sensitivity and specificity at the card's threshold with
 * bootstrap intervals, and flags each image's false positives and false negatives at threshold.
 */

type Output = Pick<ModelCard['output'], 'kind' | 'labels' | 'thresholds'>;

const prefix = 'finding:';

/** The stored figure holding a finding's probability. */
export const findingKey = (label: string): string => `${prefix}${label}`;
export const isFindingKey = (key: string): boolean => key.startsWith(prefix);

const labelOf = (output: Output, index: number): string => output.labels[index] ?? `finding ${index}`;

/** The explained target of a multi-label image: its most probable finding, and that probability. */
export function mostProbableFinding(scores: Float32Array, output: Output): { index: number; confidence: number } {
  const probs = probabilities(scores, output.kind);
  let index = 0;
  for (let i = 1; i < probs.length; i++) if (probs[i]! > probs[index]!) index = i;
  return { index, confidence: probs[index]! };
}

/** Every finding's probability as stored figures (empty for a single-label model). */
export function findingFigures(scores: Float32Array, output: Output): Record<string, number> {
  if (!isMultiLabel(output.kind)) return {};
  const probs = probabilities(scores, output.kind);
  return Object.fromEntries(Array.from(probs, (p, i) => [findingKey(labelOf(output, i)), p]));
}

/** The card output a run was audited with (kept with the run's model), for its summaries. */
export function runOutput(store: ProjectStore, runId: number): Output | undefined {
  const row = store.db.prepare('SELECT m.card FROM runs r JOIN models m ON m.id = r.model_id WHERE r.id = ?').get(runId) as { card: string } | undefined;
  return row ? (JSON.parse(row.card) as { output: Output }).output : undefined;
}

/** One image's false positives and false negatives at the card's thresholds, as flag reasons. */
function findingReasons(r: StoredResult, output: Output): string[] {
  const { truth } = parseFindingsLabel(r.label, output.labels);
  const reasons: string[] = [];
  const pct = (v: number): string => `${(100 * v).toFixed(0)}%`;
  output.labels.forEach((label, i) => {
    const p = r.metrics[findingKey(label)];
    if (p === undefined) return;
    const t = findingThreshold(output, i);
    if (truth[i] === 'absent' && p >= t) reasons.push(`false positive: ${label} ${pct(p)} ≥ threshold ${pct(t)}`);
    if (truth[i] === 'present' && p < t) reasons.push(`false negative: ${label} ${pct(p)} < threshold ${pct(t)}`);
  });
  return reasons;
}

type Report = Pick<AuditResult, 'perClass' | 'metrics' | 'flags' | 'multiLabel'>;

/** A multi-label run's flags, worst first: the attribution's own reasons and the false findings. */
function multiLabelFlags(rows: StoredResult[], output: Output): AuditResult['flags'] {
  return rows
    .map((r) => ({ path: r.path, label: r.label, predicted: r.predicted, confidence: r.confidence, reasons: [...flagReasons({ ...r, label: null }), ...findingReasons(r, output)] }))
    .filter((f) => f.reasons.length > 0)
    .sort((a, b) => b.reasons.length - a.reasons.length || b.confidence - a.confidence || a.path.localeCompare(b.path));
}

/** Only a run's flags (what a page of results or a report's choice of images needs), without the summary's bootstrap. */
export function auditFlagsFor(rows: StoredResult[], output: Output | undefined): AuditResult['flags'] {
  return output && isMultiLabel(output.kind) ? multiLabelFlags(rows, output) : auditReport(rows).flags;
}

/**
 * A run's summary as its model reads it: the single-label one (accuracy per label, metric means,
 * flags), or for a multi-label model the per-finding table instead of accuracy per label, the
 * findings' probabilities left out of the metric means, and the flags with each image's false
 * positives and negatives (a label of several findings is never "misclassified" as one of them).
 */
export function auditReportFor(rows: StoredResult[], output: Output | undefined): Report {
  const report = auditReport(rows);
  if (!output || !isMultiLabel(output.kind)) return report;
  const flags = multiLabelFlags(rows, output);
  const parsed = rows.map((r) => ({ r, ...parseFindingsLabel(r.label, output.labels) }));
  const findings = output.labels.map((finding, i) => {
    const known = parsed.filter((x) => x.truth[i] !== 'unknown' && x.r.metrics[findingKey(finding)] !== undefined);
    const probability = known.map((x) => x.r.metrics[findingKey(finding)]!);
    const truth = known.map((x) => x.truth[i] === 'present');
    const threshold = findingThreshold(output, i);
    const m = findingMetrics(probability, truth, threshold, { seed: i });
    return {
      finding,
      threshold,
      ...m,
      falsePositives: probability.filter((p, k) => !truth[k] && p >= threshold).length,
      falseNegatives: probability.filter((p, k) => truth[k] && p < threshold).length,
    };
  });
  const unmatchedLabels = [...new Set(parsed.flatMap((x) => x.unmatched))].sort();
  return { perClass: [], metrics: report.metrics.filter((m) => !isFindingKey(m.metric)), flags, multiLabel: { findings, unmatchedLabels } };
}
