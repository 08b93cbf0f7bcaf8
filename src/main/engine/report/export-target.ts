import { existsSync, lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { LumenError } from '../../../shared/errors';

/** What an export writes: a report (HTML or PDF) or an audit's table (CSV). */
export type ExportFormat = 'html' | 'pdf' | 'csv';

export interface ExportTarget {
  format: ExportFormat;
  /** Replace a file that is already there (`--force`, `overwrite: true`); never a project's own files. */
  overwrite: boolean;
}

const extensions: Record<ExportFormat, readonly string[]> = { html: ['.html', '.htm'], pdf: ['.pdf'], csv: ['.csv'] };

/** Whether a file name ends in its format's extension (`.html` for html...), in any letter case. */
export function extensionMatches(format: ExportFormat, path: string): boolean {
  const lower = path.toLowerCase();
  return extensions[format].some((e) => lower.endsWith(e));
}

/** A project's database and its companions (`project.db`, `-wal`, `-shm`, `-journal`, its lock, damaged copies). */
const projectFile = /^project\.(db(-wal|-shm|-journal|\.damaged-.*)?|lock)$/;

/**
 * Checks where an export will be written, before any work and again just before the write:
 * the extension must match the format, the folder must exist, the file may not be part of a
 * project (its database files or anything in its artifacts folder), and an existing file is
 * replaced only when asked. Symlinks are resolved first, so a link cannot lead a report onto a
 * project's database. Returns the absolute path to write.
 */
export function checkExportTarget(out: string, target: ExportTarget): string {
  const path = resolve(out);
  if (!extensionMatches(target.format, path)) {
    const wanted = extensions[target.format][0]!;
    throw new LumenError('invalid-argument', `${path} does not end in ${wanted}, the extension of ${target.format.toUpperCase()} files.`, `Give the file the extension of its format, e.g. report${wanted}.`, { path });
  }
  const folder = dirname(path);
  let realFolder: string;
  try {
    if (!statSync(folder).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    realFolder = realpathSync(folder);
  } catch (error) {
    throw new LumenError('not-found', `The folder ${folder} does not exist.`, 'Create it first, or choose another place for the export.', { path: folder, code: (error as NodeJS.ErrnoException).code ?? null });
  }
  const real = realTarget(join(realFolder, basename(path)));
  const project = projectHolding(real);
  if (project) {
    throw new LumenError(
      'invalid-argument',
      `${path} is ${real === path ? '' : `(through a link) `}part of the project ${project.root} (${project.what}): Lumen never writes an export over a project's own files.`,
      'Choose a file outside the project database and its artifacts folder, e.g. next to the project folder.',
      { path, real },
    );
  }
  const existing = lstatOrNull(path);
  if (existing && (existing.isDirectory() || lstatOrNull(real)?.isDirectory())) {
    throw new LumenError('invalid-argument', `${path} is a folder: the export cannot be written there.`, `Give a file name, e.g. ${join(path, `export${extensions[target.format][0]}`)}.`, { path });
  }
  if (existing && !target.overwrite) {
    throw new LumenError('invalid-argument', `${path} already exists; Lumen does not replace a file unless asked.`, 'Choose another file name, or allow replacing it (lumen: --force).', { path });
  }
  return path;
}

/** Where a path really leads: its links followed, also a dangling one (a write would create its target). */
function realTarget(path: string): string {
  for (let hops = 0; hops < 40; hops++) {
    const stat = lstatOrNull(path);
    if (!stat) return path;
    if (!stat.isSymbolicLink()) return realpathSync(path);
    const next = resolve(dirname(path), readlinkSync(path));
    const parent = lstatOrNull(dirname(next)) ? realpathSync(dirname(next)) : dirname(next);
    path = join(parent, basename(next));
  }
  return path;
}

/** The project a real path belongs to, if it is one of its database files or inside its artifacts. */
function projectHolding(real: string): { root: string; what: string } | null {
  if (projectFile.test(basename(real))) return { root: dirname(real), what: `its database file ${basename(real)}` };
  for (let dir = dirname(real); dirname(dir) !== dir; dir = dirname(dir)) {
    if (basename(dir) === 'artifacts' && existsSync(join(dirname(dir), 'project.db'))) return { root: dirname(dir), what: 'its artifacts folder' };
  }
  return null;
}

function lstatOrNull(path: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}
