import type { ProjectChanged } from '../../../shared/contract/project-changed';
import { withOpenProject } from './open-project';

/** The engine's emit, as far as project changes go (the engine's EmitEvent fits it). */
export type EmitProjectChanged = (event: 'project.changed', payload: ProjectChanged) => void;

/**
 * Tells every client that a project's stored data changed, so that views of it fetch it again.
 * Handlers that change a project call it once the change is committed: an import or a merge
 * (`what: 'dataset'`, with the dataset), saved or deleted annotations, stored explanations.
 */
export function notifyProjectChanged(emit: EmitProjectChanged, change: ProjectChanged): void {
  emit('project.changed', change);
}

/** The run a job computes (null when the job is not in the project). */
export async function runOfJob(project: string, jobId: number): Promise<number | undefined> {
  return withOpenProject(project, (store) => (store.db.prepare('SELECT run_id FROM jobs WHERE id = ?').get(jobId) as { run_id: number } | undefined)?.run_id);
}

export interface AuditChangeOptions {
  /** The least time between two events while the audit runs. */
  intervalMs?: number;
  /** Finds the run of the job the audit's first progress report names. */
  runOfJob?: (project: string, jobId: number) => Promise<number | undefined>;
  now?: () => number;
}

export interface AuditChangeFeed {
  /** The audit's progress reports, passed on to `next` (the request's progress events) and followed. */
  onProgress(next: (done: number, total: number, jobId?: number) => void): (done: number, total: number, jobId?: number) => void;
  /** Settles with the audit: one last event (`running: false`) however it ended, then its outcome. */
  follow<T extends { runId: number }>(audit: Promise<T>): Promise<T>;
}

/**
 * `project.changed` events for one audit, so the dataset browser and the audit view fill in while it
 * runs: one as soon as its run is known (the run appears in the lists), then at most one every
 * `intervalMs` as results land (the last of a burst is sent when the interval is over), and one when
 * it ends. A shard's audit writes into the shard's own project: its events name no run.
 */
export function auditChangeFeed(emit: EmitProjectChanged, audit: { project: string; dataset: string; shard?: string | undefined }, options: AuditChangeOptions = {}): AuditChangeFeed {
  const intervalMs = options.intervalMs ?? 1500;
  const now = options.now ?? (() => performance.now());
  const findRun = options.runOfJob ?? runOfJob;
  let runId: number | undefined;
  let asked = false;
  let ended = false;
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const send = (running: boolean): void => {
    last = now();
    notifyProjectChanged(emit, { project: audit.project, what: 'audit', dataset: audit.dataset, running, ...(runId !== undefined ? { runId } : {}) });
  };
  const soon = (): void => {
    if (ended) return;
    const wait = last + intervalMs - now();
    if (wait <= 0) {
      if (timer) clearTimeout(timer);
      timer = null;
      send(true);
    } else {
      timer ??= setTimeout(() => {
        timer = null;
        if (!ended) send(true);
      }, wait);
    }
  };
  const followed = (jobId: number | undefined): void => {
    if (jobId === undefined || asked || audit.shard) return soon();
    asked = true;
    // The first report names the job: its run is looked up once, then the first event goes out.
    void findRun(audit.project, jobId)
      .then((id) => (runId ??= id))
      .catch(() => undefined)
      .then(soon);
  };

  return {
    onProgress: (next) => (done, total, jobId) => {
      next(done, total, jobId);
      followed(jobId);
    },
    follow: async (run) => {
      const end = (id?: number): void => {
        ended = true;
        if (timer) clearTimeout(timer);
        timer = null;
        if (id !== undefined && !audit.shard) runId = id;
        send(false);
      };
      try {
        const result = await run;
        end(result.runId);
        return result;
      } catch (error) {
        end();
        throw error;
      }
    },
  };
}
