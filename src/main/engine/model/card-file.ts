import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describeZodError, LumenError } from '../../../shared/errors';
import { ModelCardFile, type FieldSource } from '../../../shared/model-card';
import { isFile, pathExists } from '../fs-utils';
import { parseJsonText } from '../io/json-text';
import { confine } from '../paths/confine';

/** `<dir>/<stem>.card.json`: where Lumen looks for a model's card. */
export function defaultCardPath(modelPath: string): string {
  return join(dirname(modelPath), `${fileStem(modelPath)}.card.json`);
}

export function fileStem(path: string): string {
  return basename(path).replace(/\.onnx$/i, '');
}

/** Reads and validates a card file; a missing optional card is `{}`. */
export async function readCardFile(path: string, required: boolean): Promise<ModelCardFile> {
  if (!(await pathExists(path))) {
    if (required) throw new LumenError('not-found', `Card file not found: ${path}.`, 'Check the path given with --card.');
    return {};
  }
  if (!(await isFile(path))) {
    throw new LumenError('invalid-card', `The model card ${path} is a folder, not a file.`, 'Give the path of the .card.json file inside it.', { path });
  }
  // The problem says where the JSON breaks, never what the file holds: errors travel to the page.
  const json = parseJsonText(await readFile(path, 'utf8'));
  if (!json.ok) throw new LumenError('invalid-card', `${basename(path)} ${json.problem}.`, 'Fix the JSON syntax of the model card (see README.md, "Model cards").');
  const parsed = ModelCardFile.safeParse(json.value);
  if (!parsed.success) {
    throw new LumenError('invalid-card', `${basename(path)} is not a valid model card: ${describeZodError(parsed.error)}.`, 'See README.md, "Model cards", for the fields.');
  }
  return parsed.data;
}

/**
 * Labels for the model: the card's labelsFile (relative to the card), else `labels.txt` or
 * `<stem>.labels.txt` next to the model. One label per line; blank trailing lines are ignored.
 */
export async function readLabels(
  modelPath: string,
  cardPath: string,
  card: ModelCardFile,
): Promise<{ list: string[]; source: FieldSource } | undefined> {
  if (card.labelsFile !== undefined) {
    // Labels come back to whoever opened the model: only a file in the card's own folder is read.
    const path = confine(dirname(cardPath), card.labelsFile);
    if (path === null) {
      throw new LumenError('invalid-card', `The card's labelsFile "${card.labelsFile}" is outside the card's folder.`, 'Put the labels file next to the card (or in a folder under it) and name it relative to the card.');
    }
    if (!(await pathExists(path))) {
      throw new LumenError('invalid-card', `The card's labelsFile "${card.labelsFile}" does not exist (looked for ${path}).`, 'Fix labelsFile in the card.');
    }
    return { list: parseLabels(await readFile(path, 'utf8')), source: 'card' };
  }
  for (const name of [`${fileStem(modelPath)}.labels.txt`, 'labels.txt']) {
    const path = join(dirname(modelPath), name);
    if (await pathExists(path)) return { list: parseLabels(await readFile(path, 'utf8')), source: 'model' };
  }
  return undefined;
}

export function parseLabels(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  return lines.map((l) => l.trim());
}

/**
 * Inline card fields override the card file's, section by section. A field set to null in `over`
 * clears it: it is left out of the merged card (how an edit removes a card's window).
 */
export function mergeCardFiles(base: ModelCardFile, over: ModelCardFile): ModelCardFile {
  const merged: ModelCardFile = { ...base, ...over };
  for (const key of ['input', 'preprocess', 'output'] as const) {
    if (base[key] || over[key]) {
      const section: Record<string, unknown> = { ...base[key], ...over[key] };
      for (const [field, value] of Object.entries(section)) if (value === null) delete section[field];
      (merged as Record<string, unknown>)[key] = section;
    }
  }
  return merged;
}
