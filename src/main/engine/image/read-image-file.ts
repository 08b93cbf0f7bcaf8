import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { LumenError } from '../../../shared/errors';

/**
 * An image file by path, read whole. Each way a path can fail to be an image file gets its own
 * message: missing, a folder (a common slip when a dataset folder is meant), or unreadable.
 */
export async function readImageFile(file: string): Promise<{ data: Uint8Array; name: string }> {
  const path = resolve(file);
  try {
    return { data: new Uint8Array(await readFile(path)), name: basename(path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new LumenError('not-found', `Image file not found: ${path}.`, 'Check the path.', { path });
    if (code === 'EISDIR') {
      throw new LumenError('invalid-argument', `${path} is a folder, not an image file.`, 'Give the path of one image file inside it.', { path });
    }
    if (code === 'EACCES' || code === 'EPERM') throw new LumenError('invalid-argument', `${path} cannot be read: permission denied.`, 'Make the file readable for your user, or copy it somewhere you can read.', { path });
    throw new LumenError('invalid-argument', `${path} could not be read (${code ?? (error as Error).message}).`, 'Check that the file is a readable image file.', { path });
  }
}
