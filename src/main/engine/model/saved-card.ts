import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { ModelCardFile } from '../../../shared/model-card';
import { LumenError } from '../../../shared/errors';
import { lumenHome } from '../lumen-home';
import { defaultCardPath, mergeCardFiles, readCardFile } from './card-file';

/** Where an edited card of a model (by content hash) is kept: `<home>/cards/<sha256>.card.json`. */
export function savedCardPath(sha256: string): string {
  return join(lumenHome(), 'cards', `${sha256}.card.json`);
}

export interface ModelCardSource {
  /** The card fields from files (before any inline fields). */
  cardFile: ModelCardFile;
  /** The card labelsFile is relative to, and the file hints name. */
  cardPath: string;
  /** Something the user should know about the card files (a saved card that could not be used). */
  note?: string;
}

/**
 * The card file(s) of a model being opened. An explicit card path is the card. Otherwise the
 * sidecar `<model>.card.json` next to it, if any, with the card saved by a card edit in Lumen's home
 * folder on top when that is at least as new as the sidecar: an edit persists even where the
 * sidecar cannot be written (the bundled model), and a sidecar edited by hand afterwards wins.
 * A damaged saved card is ignored with a note, never a reason the model cannot open.
 */
export async function readModelCard(modelPath: string, sha256: string, explicitCardPath?: string): Promise<ModelCardSource> {
  if (explicitCardPath !== undefined) {
    const cardPath = resolve(explicitCardPath);
    return { cardPath, cardFile: await readCardFile(cardPath, true) };
  }
  const sidecar = defaultCardPath(modelPath);
  const saved = savedCardPath(sha256);
  const [sidecarFacts, savedFacts] = await Promise.all([stat(sidecar).catch(() => undefined), stat(saved).catch(() => undefined)]);
  const fromSidecar = sidecarFacts ? await readCardFile(sidecar, false) : {};
  const cardPath = sidecarFacts ? sidecar : savedFacts ? saved : sidecar;
  if (!savedFacts || (sidecarFacts && sidecarFacts.mtimeMs > savedFacts.mtimeMs)) return { cardPath, cardFile: fromSidecar };
  try {
    return { cardPath, cardFile: mergeCardFiles(fromSidecar, await readCardFile(saved, true)) };
  } catch (error) {
    const why = error instanceof LumenError ? error.message : String(error);
    return { cardPath, cardFile: fromSidecar, note: `The saved card ${basename(saved)} was ignored: ${why}` };
  }
}
