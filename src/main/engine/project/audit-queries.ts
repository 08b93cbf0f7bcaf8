import type { z } from 'zod';
import type { AuditResultsPage, AuditResultsParams, AuditSummary, JobInfo } from '../../../shared/contract/audit';
import { LumenError } from '../../../shared/errors';
import type { StoredResult } from './audit-report';
import { auditFlagsFor, auditReportFor, runOutput } from './multilabel-audit';
import type { ProjectStore } from './project-store';
import { runLabelWarnings } from './run-label-warnings';

/** The model's labels of a run (its card as stored with the run), by class index. */
export function runLabels(store: ProjectStore, runId: number): string[] {
  const run = store.db.prepare('SELECT m.card FROM runs r JOIN models m ON m.id = r.model_id WHERE r.id = ?').get(runId) as { card: string } | undefined;
  if (!run) throw new LumenError('not-found', `There is no run ${runId} in ${store.folder}.`, 'List the jobs and their runs with `lumen jobs --project P`.');
  return (JSON.parse(run.card) as { output: { labels: string[] } }).output.labels;
}

/** The label of a predicted class: the model's, or `class N` for a model without labels. */
export function predictedLabel(labels: string[], target: number): string {
  return labels[target] ?? `class ${target}`;
}

/** A run's stored per-image results, with the model's labels for its predictions. */
export function storedResults(store: ProjectStore, runId: number): StoredResult[] {
  const labels = runLabels(store, runId);
  const rows = store.db
    .prepare('SELECT i.path, i.label, r.target, r.score, r.metrics FROM results r JOIN images i ON i.id = r.image_id WHERE r.run_id = ? ORDER BY i.path')
    .all(runId) as Array<{ path: string; label: string | null; target: number; score: number; metrics: string }>;
  return rows.map((r) => ({ path: r.path, label: r.label, predicted: predictedLabel(labels, r.target), confidence: r.score, metrics: JSON.parse(r.metrics) as Record<string, number> }));
}

/** One page of a run's results, filtered (label, flagged, correct) and sorted by any stored figure. */
export function queryAuditResults(store: ProjectStore, query: z.output<typeof AuditResultsParams>): z.output<typeof AuditResultsPage> {
  const rows = storedResults(store, query.runId);
  const flags = new Map(auditFlagsFor(rows, runOutput(store, query.runId)).map((f) => [f.path, f.reasons]));
  const correct = (r: StoredResult): boolean | null => (r.label === null ? null : r.label.trim().toLowerCase() === r.predicted.trim().toLowerCase());
  const key = (r: StoredResult): string | number => (query.sort === 'path' ? r.path : query.sort === 'confidence' ? r.confidence : (r.metrics[query.sort] ?? Number.NEGATIVE_INFINITY));
  const selected = rows
    .filter((r) => query.label === undefined || r.label === query.label)
    .filter((r) => query.flagged === undefined || flags.has(r.path) === query.flagged)
    .filter((r) => query.correct === undefined || correct(r) === query.correct)
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      const order = typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y) : Number(x) - Number(y);
      return (query.descending ? -order : order) || a.path.localeCompare(b.path);
    });
  return {
    total: selected.length,
    rows: selected.slice(query.offset, query.offset + query.limit).map((r) => ({ ...r, correct: correct(r), flags: flags.get(r.path) ?? [] })),
  };
}

export function listJobs(store: ProjectStore): Array<z.output<typeof JobInfo>> {
  const rows = store.db.prepare('SELECT j.id, j.run_id, r.method, j.state, j.done, j.total, j.error, j.updated_at FROM jobs j LEFT JOIN runs r ON r.id = j.run_id ORDER BY j.id').all() as Array<{
    id: number;
    run_id: number | null;
    method: string | null;
    state: z.output<typeof JobInfo>['state'];
    done: number;
    total: number;
    error: string | null;
    updated_at: string;
  }>;
  return rows.map((r) => ({ id: r.id, runId: r.run_id, method: r.method, state: r.state, done: r.done, total: r.total, error: r.error, updatedAt: r.updated_at }));
}

/** A past run's summary from its stored results: what the audit view shows after a restart. */
export function auditSummary(store: ProjectStore, runId: number): z.output<typeof AuditSummary> {
  const run = store.db.prepare('SELECT method FROM runs WHERE id = ?').get(runId) as { method: string } | undefined;
  if (!run) throw new LumenError('not-found', `There is no run ${runId} in ${store.folder}.`, 'List the jobs and their runs with `lumen jobs --project P`.');
  const rows = storedResults(store, runId);
  const job = store.db.prepare('SELECT state, total FROM jobs WHERE run_id = ? ORDER BY id DESC').get(runId) as { state: z.output<typeof AuditSummary>['state']; total: number } | undefined;
  return { runId, method: run.method, images: rows.length, total: job?.total ?? null, state: job?.state ?? null, warnings: runLabelWarnings(store, runId, rows), ...auditReportFor(rows, runOutput(store, runId)) };
}
