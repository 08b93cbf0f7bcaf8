import { readdirSync, readFileSync, statSync } from 'node:fs';
import { LumenError } from '../../../../shared/errors';

/**
 * The file an import reads (a CSV, a COCO JSON) or the folder it lists (VOC XML files): a missing
 * path, or a folder where a file belongs (and the reverse), is the user's mistake, said in one line
 * that names the path and what to give instead, never Node's "ENOENT"/"EISDIR".
 */
function sourceError(error: unknown, path: string, what: string): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return new LumenError('not-found', `The ${what} ${path} does not exist.`, 'Check the path.', { path });
  if (code === 'EISDIR') return new LumenError('invalid-argument', `The ${what} ${path} is a folder, not a file.`, `Give the path of the ${what} itself.`, { path });
  if (code === 'ENOTDIR') return new LumenError('invalid-argument', `The ${what} ${path} is a file, not a folder.`, 'Give the folder that holds the files, not one file in it.', { path });
  if (code === 'EACCES' || code === 'EPERM') return new LumenError('invalid-argument', `The ${what} ${path} cannot be read (permission denied).`, 'Make it readable, or copy it somewhere you can read.', { path });
  return error;
}

/** The text of an import's source file; `what` names it ("CSV file"). */
export function readImportFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw sourceError(error, path, what);
  }
}

/** The entries of an import's source folder. */
export function listImportFolder(path: string, what: string): string[] {
  try {
    return readdirSync(path);
  } catch (error) {
    throw sourceError(error, path, what);
  }
}

/**
 * Checks an import's source before anything is opened or created, so that a typo in the path does
 * not leave a new, empty project behind: a file where a file belongs, a folder where a folder does.
 */
export function checkImportSource(path: string, what: string, kind: 'file' | 'folder'): void {
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch (error) {
    throw sourceError(error, path, what);
  }
  if (kind === 'file' && isFolder) throw sourceError(Object.assign(new Error('EISDIR'), { code: 'EISDIR' }), path, what);
  if (kind === 'folder' && !isFolder) throw sourceError(Object.assign(new Error('ENOTDIR'), { code: 'ENOTDIR' }), path, what);
}
