import type { Handlers } from '../../../shared/contract/dispatcher';
import { runAudit } from '../project/audit-job';
import { auditSummary, listJobs, queryAuditResults } from '../project/audit-queries';
import { withOpenProject } from '../project/open-project';
import { auditChangeFeed } from '../project/project-changes';
import type { EngineServices } from './engine-services';

type AuditHandlers = Pick<Handlers, 'audit' | 'audit.results' | 'audit.summary' | 'jobs.list' | 'jobs.pause' | 'jobs.cancel'>;

/** Auditing a dataset as a job (queued, paused, cancelled, resumed) and reading its results. */
export function auditHandlers(engine: EngineServices): AuditHandlers {
  return {
    audit: async (params, { requestId, signal }) => {
      const model = engine.models.get(params.modelId);
      // Every client's views of the project follow the audit: its run, its results as they land, its end.
      const changes = auditChangeFeed(engine.emit, params);
      // One audit at a time per execution provider, in the order they were asked for.
      return changes.follow(
        engine.queueAudit(model.executionProvider.used, () =>
          runAudit(
            { attributions: engine.attributions, evaluations: engine.evaluations, jobs: engine.jobs },
            { ...params, model, signal, onProgress: changes.onProgress(engine.progress(requestId)), onWarning: (message) => engine.emit('notice', { level: 'warning', message }) },
          ),
        ),
      );
    },

    'audit.results': async (params) => withOpenProject(params.project, (store) => queryAuditResults(store, params)),

    'audit.summary': async ({ project, runId }) => withOpenProject(project, (store) => auditSummary(store, runId)),

    'jobs.list': async ({ project }) => withOpenProject(project, listJobs),

    'jobs.pause': async ({ project, jobId }) => ({ signalled: engine.jobs.stop(project, jobId, 'pause') }),

    'jobs.cancel': async ({ project, jobId }) => ({ signalled: engine.jobs.stop(project, jobId, 'cancel') }),
  };
}
