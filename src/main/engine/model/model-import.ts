import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../fs-utils';
import { lumenHome } from '../lumen-home';
import { decode } from './model-registry';

/** Where models given as bytes are kept: `<home>/models`. */
export function importedModelsDir(): string {
  return join(lumenHome(), 'models');
}

/** A file name from what the user called the model: no folders, no odd characters, ends in .onnx. */
export function safeModelFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  let safe = base.replace(/[^\w.\- ]/g, '_').replace(/^[.\s]+/, '').trim().slice(0, 120);
  if (!safe) safe = 'model';
  return /\.onnx$/i.test(safe) ? safe : `${safe}.onnx`;
}

export interface StoredModel {
  path: string;
  /** False when the same model was imported before and its file is reused. */
  created: boolean;
}

/**
 * Keeps a model given as bytes in Lumen's models folder as `<sha256 prefix>/<name>` (a folder per
 * model, so the file keeps the name the user knows it by), written atomically; the same bytes
 * imported again reuse the file already there (under its first name, so a card saved next to it
 * still applies). Bytes that are not an ONNX model are refused before anything is written.
 */
export async function storeImportedModel(name: string, data: Uint8Array): Promise<StoredModel> {
  const fileName = safeModelFileName(name);
  decode(data, fileName);
  const sha256 = createHash('sha256').update(data).digest('hex');
  const dir = join(importedModelsDir(), sha256.slice(0, 16));
  await mkdir(dir, { recursive: true });
  for (const entry of (await readdir(dir)).filter((f) => f.endsWith('.onnx')).sort()) {
    const path = join(dir, entry);
    const existing = await readFile(path).catch(() => undefined);
    if (existing && createHash('sha256').update(existing).digest('hex') === sha256) return { path, created: false };
  }
  const path = join(dir, fileName);
  await writeFileAtomic(path, data);
  return { path, created: true };
}

/** Undoes an import whose model could not be opened: a file it created goes again. */
export async function discardImportedModel(stored: StoredModel): Promise<void> {
  if (!stored.created) return;
  await rm(stored.path, { force: true });
  // The model's folder goes too when nothing else is in it.
  const dir = dirname(stored.path);
  if ((await readdir(dir).catch(() => ['?'])).length === 0) await rm(dir, { recursive: true, force: true });
}
