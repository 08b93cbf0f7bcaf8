import { readdir } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { LumenError } from '../../../shared/errors';

const imageExtensions = new Set(['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff']);

/**
 * The image files under a folder, recursively, as paths relative to it in a stable (sorted) order.
 * Hidden files and folders are skipped; so are ground-truth sidecars (`*.mask.png`).
 */
export async function listImages(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      throw folderError(dir, error);
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && imageExtensions.has(extname(entry.name).toLowerCase()) && !/\.mask\.[a-z]+$/i.test(entry.name)) found.push(relative(root, path));
    }
  };
  await walk(root);
  return found.sort();
}

/** Why a folder of images cannot be listed, in the user's terms (Node's "scandir" says little). */
function folderError(dir: string, error: unknown): LumenError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new LumenError('not-found', `The folder ${dir} does not exist.`, 'Check the path; give a folder of images.', { path: dir });
  if (code === 'ENOTDIR') return new LumenError('invalid-argument', `${dir} is a file, not a folder.`, 'Give the folder that holds the images.', { path: dir });
  if (code === 'EACCES' || code === 'EPERM') return new LumenError('invalid-argument', `The folder ${dir} cannot be read: permission denied.`, 'Make it readable for your user.', { path: dir });
  return new LumenError('not-found', `Cannot read the folder ${dir} (${code ?? (error as Error).message}).`, 'Give a folder of images.', { path: dir });
}
