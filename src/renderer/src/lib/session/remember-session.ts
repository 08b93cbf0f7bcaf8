import type { ModelSummary } from '../../../../shared/contract/model';
import type { ImageRef, Screen } from '../state/workspace.svelte';
import type { SessionRecord } from './session-record';

/** What of the workstation's state is remembered across a reload. */
export interface SessionSnapshot {
  theme: 'dark' | 'light';
  screen: Screen;
  project: { path: string } | null;
  dataset: string | null;
  runId: number | null;
  model: Pick<ModelSummary, 'sha256' | 'fileName' | 'builtIn'> | null;
  imageRef: ImageRef | null;
}

/** The record of where the user is now (absent parts are left out, so the record stays small). */
export function sessionRecordOf(state: SessionSnapshot): SessionRecord {
  const { model, imageRef } = state;
  const frame = imageRef?.frame ? { frame: imageRef.frame } : {};
  const image: SessionRecord['image'] =
    imageRef === null
      ? undefined
      : imageRef.kind === 'sample'
        ? { kind: 'sample', sampleId: imageRef.sampleId, ...frame }
        : imageRef.kind === 'project'
          ? { kind: 'project', project: imageRef.project, dataset: imageRef.dataset, path: imageRef.path, ...frame }
          : { kind: 'file', name: imageRef.name, ...frame };
  return {
    version: 1,
    theme: state.theme,
    screen: state.screen,
    ...(state.project ? { project: state.project.path } : {}),
    ...(state.project && state.dataset ? { dataset: state.dataset } : {}),
    ...(state.project && state.runId !== null ? { runId: state.runId } : {}),
    ...(model ? { model: { sha256: model.sha256, fileName: model.fileName, builtIn: model.builtIn } } : {}),
    ...(image ? { image } : {}),
  };
}
