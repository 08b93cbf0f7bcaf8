import { z } from 'zod';
import type { ErrorPayload } from '../errors';

/**
 * What the app's native dialogs pick for the page: a model or its card, an image, a project
 * folder (to open or create), a dataset folder to import or a file an import reads (a CSV, a
 * COCO JSON, a DICOMDIR), a file to save a report to. The main
 * process shows the dialog and grants the engine the picked path before the page learns it.
 */
export const PickKind = z.enum(['model', 'model-card', 'image', 'project', 'dataset-folder', 'import-file', 'report-html', 'report-pdf']);
export type PickKind = z.infer<typeof PickKind>;

export const PickRequest = z.object({ kind: PickKind }).strict();
export type PickRequest = z.infer<typeof PickRequest>;

/** The picked paths (none when the user cancelled), each already granted to the engine. */
export type PickResult = { ok: true; paths: string[] } | { ok: false; error: ErrorPayload };
