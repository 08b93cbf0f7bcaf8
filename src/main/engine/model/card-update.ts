import { mkdir } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import type { ModelCardFile } from '../../../shared/model-card';
import { writeFileAtomic } from '../fs-utils';
import { defaultCardPath } from './card-file';
import type { LoadedModel, ModelRegistry } from './model-registry';
import { savedCardPath } from './saved-card';

export interface CardUpdate {
  model: LoadedModel;
  /** The card files written. */
  saved: string[];
  /** Why the card could not be written next to a user's model (it is in Lumen's home folder then). */
  sidecarProblem?: string;
}

/**
 * Edits an open model's card: the fields are applied over its card and validated against the model
 * (errors name the field), the model keeps its id, and the card is saved where the next open finds
 * it: always in Lumen's home folder by the model's hash, and for a user's model also as the
 * `<model>.card.json` next to it when that can be written. The bundled model's folder is never
 * written to.
 */
export async function updateModelCard(registry: ModelRegistry, modelId: string, fields: ModelCardFile): Promise<CardUpdate> {
  const model = await registry.updateCard(modelId, fields);
  const saved: string[] = [];
  let sidecarProblem: string | undefined;
  // The sidecar first, then the home copy: the home copy, at least as new, is then the one used.
  if (!model.builtIn) {
    const sidecar = defaultCardPath(model.path);
    try {
      await writeCard(sidecar, sidecarCard(model, sidecar));
      saved.push(sidecar);
    } catch (error) {
      sidecarProblem = `${sidecar} could not be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
    }
  }
  const home = savedCardPath(model.sha256);
  await mkdir(dirname(home), { recursive: true });
  await writeCard(home, homeCard(model));
  saved.push(home);
  return { model, saved, ...(sidecarProblem ? { sidecarProblem } : {}) };
}

function writeCard(path: string, card: ModelCardFile): Promise<void> {
  return writeFileAtomic(path, `${JSON.stringify(card, null, 2)}\n`);
}

/** The card for the sidecar: labelsFile, if any, made relative to the sidecar's folder. */
function sidecarCard(model: LoadedModel, sidecar: string): ModelCardFile {
  const card = structuredClone(model.cardFile);
  if (card.labelsFile !== undefined) {
    const labels = resolve(dirname(model.cardPath), card.labelsFile);
    card.labelsFile = relative(dirname(sidecar), labels).split(sep).join('/');
  }
  return card;
}

/** The card for Lumen's home folder: self-contained, its labels inline instead of a labelsFile. */
function homeCard(model: LoadedModel): ModelCardFile {
  const card = structuredClone(model.cardFile);
  if (card.labelsFile !== undefined) {
    delete card.labelsFile;
    card.output = { ...card.output, labels: model.resolved.card.output.labels };
  }
  return card;
}
