import type { LumenApi } from '../../../../shared/contract/api';
import type { ProjectChanged } from '../../../../shared/contract/project-changed';
import type { ProjectSummary } from '../../../../shared/contract/project';

/** The part of the workspace that follows the open project's changes (the Workspace, or a plain object in tests). */
export interface FollowingWorkspace {
  readonly api: LumenApi;
  project: ProjectSummary | null;
  dataset: string | null;
  runId: number | null;
  projectRevision: number;
  readonly jobs: { refresh(project: string): Promise<void> };
}

/** The same project folder, however the path was written (a trailing separator or not). */
export function sameProject(a: string, b: string): boolean {
  const trim = (p: string): string => p.replace(/[\\/]+$/, '');
  return trim(a) === trim(b);
}

/**
 * Keeps the views of the open project in step with the engine's `project.changed` events: a burst
 * of events is one refresh (the project's summary: datasets, runs and their states; then
 * `projectRevision` moves, so the dataset browser and the audit view fetch what they show; and the
 * jobs list). An audit of the dataset on screen, while no run is shown, has its results shown as
 * columns as they land (once per run: hiding them again is the user's choice). Returns the stop.
 */
export function followProjectChanges(ws: FollowingWorkspace, options: { delayMs?: number } = {}): () => void {
  const delayMs = options.delayMs ?? 100;
  const autoShown = new Set<number>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let refreshing = false;
  let again = false;

  async function refresh(): Promise<void> {
    const path = ws.project?.path;
    if (!path) return;
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    try {
      const summary = await ws.api.call('projects.open', { path });
      if (ws.project && sameProject(ws.project.path, path)) {
        ws.project = summary;
        ws.projectRevision += 1;
      }
      void ws.jobs.refresh(path);
    } catch {
      // The project could not be read just now (moved, locked): the views keep what they show, and
      // the next change, or opening the project again, brings them up to date.
    } finally {
      refreshing = false;
      if (again) {
        again = false;
        void refresh();
      }
    }
  }

  function onChange(change: ProjectChanged): void {
    if (!ws.project || !sameProject(ws.project.path, change.project)) return;
    const runId = change.runId;
    if (change.what === 'audit' && runId !== undefined && ws.runId === null && change.dataset === ws.dataset && !autoShown.has(runId)) {
      autoShown.add(runId);
      ws.runId = runId;
    }
    timer ??= setTimeout(() => {
      timer = null;
      void refresh();
    }, delayMs);
  }

  const stop = ws.api.on('project.changed', onChange);
  return () => {
    stop();
    if (timer) clearTimeout(timer);
    timer = null;
  };
}
