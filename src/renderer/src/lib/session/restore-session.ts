import type { LumenApi } from '../../../../shared/contract/api';
import type { ModelSummary } from '../../../../shared/contract/model';
import type { ProjectSummary } from '../../../../shared/contract/project';
import { toErrorPayload, type LumenError } from '../../../../shared/errors';
import type { ImageRef, Screen } from '../state/workspace.svelte';
import { sessionText } from '../text/session';
import type { SessionRecord } from './session-record';

/** The part of the workspace a restore sets (the Workspace itself, or a plain object in tests). */
export interface RestorableWorkspace {
  readonly api: LumenApi;
  model: ModelSummary | null;
  project: ProjectSummary | null;
  dataset: string | null;
  runId: number | null;
  screen: Screen;
  imageRef: ImageRef | null;
  error: LumenError | null;
  openImage(ref: ImageRef): Promise<void>;
}

/** Screens that show nothing useful without a project, or without an open image. */
const needsProject: ReadonlySet<Screen> = new Set(['dataset', 'audit']);
const needsImage: ReadonlySet<Screen> = new Set(['inspector', 'compare']);

/** The screen to come back to: the remembered one, unless what it shows could not be reopened. */
export function screenToRestore(screen: Screen | undefined, reopened: { project: boolean; image: boolean }): Screen {
  if (screen === undefined) return 'start';
  if (needsProject.has(screen) && !reopened.project) return 'start';
  if (needsImage.has(screen) && !reopened.image) return reopened.project ? 'dataset' : 'start';
  return screen;
}

function why(e: unknown): string {
  return toErrorPayload(e).message;
}

/**
 * Reopens what the record names, in the order each needs the one before: the model the user added
 * (if the engine still has it open), the project (its dataset and the run shown as columns), the
 * image (a sample, or an image of that project at its frame), then the screen. Whatever cannot come
 * back is said in one notice each; nothing here throws.
 */
export async function restoreSession(ws: RestorableWorkspace, record: SessionRecord): Promise<string[]> {
  const notices: string[] = [];
  const remembered = record.model;
  if (remembered && !remembered.builtIn && ws.model?.sha256 !== remembered.sha256) {
    const open = await ws.api.call('models.list', {}).catch(() => [] as ModelSummary[]);
    const found = open.find((m) => m.sha256 === remembered.sha256);
    if (found) ws.model = found;
    else notices.push(sessionText.modelGone(remembered.fileName));
  }

  let projectOpen = false;
  if (record.project) {
    try {
      const summary = await ws.api.call('projects.open', { path: record.project });
      ws.project = summary;
      ws.dataset = summary.datasets.some((d) => d.name === record.dataset) ? (record.dataset ?? null) : (summary.datasets[0]?.name ?? null);
      ws.runId = record.runId !== undefined && summary.runs.some((r) => r.id === record.runId) ? record.runId : null;
      projectOpen = true;
    } catch (e) {
      notices.push(sessionText.projectGone(record.project, why(e)));
    }
  }

  const image = record.image;
  if (image?.kind === 'file') notices.push(sessionText.fileImage(image.name));
  else if (image && (image.kind === 'sample' || (projectOpen && image.project === ws.project?.path))) {
    await ws.openImage(image);
    if (ws.imageRef === null) {
      // openImage shows its failure in the banner; a restore says it in its own words instead.
      notices.push(sessionText.imageGone(image.kind === 'sample' ? image.sampleId : image.path, ws.error?.message ?? ''));
      ws.error = null;
    }
  }

  ws.screen = screenToRestore(record.screen, { project: projectOpen, image: ws.imageRef !== null });
  return notices;
}
