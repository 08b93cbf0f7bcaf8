import type { ModelCard } from '../../../shared/model-card';
import { runReportImages, type RunReportPlan } from '../../../shared/contract/run-report-plan';
import { LumenError } from '../../../shared/errors';
import { storedResults } from '../project/audit-queries';
import { auditFlagsFor, runOutput } from '../project/multilabel-audit';
import { withOpenProject } from '../project/open-project';

/**
 * The plan of a report of one audit run, from the project's `runs` table: its dataset, method and
 * parameters, its metrics, its model (file name, SHA-256 and card as stored) and the images: the
 * selection given (each must be in the run), or the whole run when it is small, else its flagged
 * images worst first (then the rest, in path order) up to `runReportImages`.
 */
export async function planRunReport(project: string, runId: number, selection?: string[]): Promise<RunReportPlan> {
  return withOpenProject(project, (store) => {
    const run = store.db
      .prepare('SELECT r.method, r.params, m.file, m.sha256, m.card FROM runs r JOIN models m ON m.id = r.model_id WHERE r.id = ?')
      .get(runId) as { method: string; params: string; file: string; sha256: string; card: string } | undefined;
    if (!run) {
      const runs = (store.db.prepare('SELECT id FROM runs ORDER BY id').all() as Array<{ id: number }>).map((r) => r.id);
      throw new LumenError('not-found', `There is no run ${runId} in ${store.folder}.`, runs.length > 0 ? `Its runs: ${runs.join(', ')} (see \`lumen jobs --project P\`).` : 'The project has no audits yet; run `lumen audit` first.', { runId });
    }
    const stored = JSON.parse(run.params) as { dataset: number; params?: Record<string, unknown>; metrics?: Array<{ metric: string }> };
    const dataset = store.db.prepare('SELECT name FROM datasets WHERE id = ?').get(stored.dataset) as { name: string } | undefined;
    if (!dataset) throw new LumenError('not-found', `The dataset of run ${runId} is no longer in the project.`, 'Import it again under its old name, or report on another run.');
    const rows = storedResults(store, runId);
    if (rows.length === 0) throw new LumenError('not-found', `Run ${runId} has no results yet.`, 'Run (or resume) the audit first: `lumen audit ...`.');
    const inRun = rows.map((r) => r.path);
    let images: string[];
    if (selection && selection.length > 0) {
      images = selection.map((wanted) => {
        if (inRun.includes(wanted)) return wanted;
        // A bare file name is enough when only one image of the run has it.
        const matches = inRun.filter((p) => p.split('/').pop() === wanted);
        if (matches.length === 1) return matches[0]!;
        const shown = inRun.slice(0, 8).join(', ') + (inRun.length > 8 ? `, … (${inRun.length} in all)` : '');
        throw new LumenError(
          'invalid-argument',
          matches.length > 1 ? `"${wanted}" names ${matches.length} images of run ${runId}: ${matches.join(', ')}.` : `"${wanted}" is not an image of run ${runId}.`,
          matches.length > 1 ? 'Give the path inside the dataset.' : `Its images: ${shown}.`,
          { image: wanted, runId },
        );
      });
      images = [...new Set(images)];
    } else if (inRun.length <= runReportImages) {
      images = inRun;
    } else {
      const flagged = auditFlagsFor(rows, runOutput(store, runId)).map((f) => f.path);
      images = [...new Set([...flagged, ...inRun])].slice(0, runReportImages);
    }
    return {
      runId,
      dataset: dataset.name,
      method: run.method,
      params: stored.params ?? {},
      metrics: [...new Set((stored.metrics ?? []).map((m) => m.metric))],
      images,
      runImages: inRun.length,
      leftOut: inRun.length - images.length,
      model: { fileName: run.file, sha256: run.sha256, card: JSON.parse(run.card) as ModelCard },
    };
  });
}
