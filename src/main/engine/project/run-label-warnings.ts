import type { StoredResult } from './audit-report';
import { labelOverlap, labelOverlapWarnings } from './label-overlap';
import { runOutput } from './multilabel-audit';
import type { ProjectStore } from './project-store';

/**
 * A past run's label warnings, from its stored results and the card it was audited with: the same
 * words the audit gave at its start, for a run opened later in the audit view.
 */
export function runLabelWarnings(store: ProjectStore, runId: number, rows: StoredResult[]): string[] {
  const output = runOutput(store, runId);
  if (!output) return [];
  const run = store.db.prepare('SELECT params FROM runs WHERE id = ?').get(runId) as { params: string } | undefined;
  const datasetId = run ? (JSON.parse(run.params) as { dataset?: unknown }).dataset : undefined;
  const dataset = typeof datasetId === 'number' ? (store.db.prepare('SELECT name FROM datasets WHERE id = ?').get(datasetId) as { name: string } | undefined)?.name : undefined;
  return labelOverlapWarnings(labelOverlap(rows.map((r) => r.label), output), output, dataset ?? `of run ${runId}`);
}
