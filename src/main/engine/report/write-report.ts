import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { LumenError } from '../../../shared/errors';
import { checkExportTarget, type ExportTarget } from './export-target';

/** The file operations a report write needs; tests pass failing ones (a full disk). */
export interface ReportFs {
  open(path: string, flags: 'wx'): Promise<{ write(data: Uint8Array): Promise<unknown>; sync(): Promise<void>; close(): Promise<void> }>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: true }): Promise<void>;
}

export const nodeReportFs: ReportFs = {
  open: async (path, flags) => {
    const handle = await open(path, flags, 0o644);
    return {
      // FileHandle.write may write less than asked; writeFile loops until all is written.
      write: (data) => handle.writeFile(data),
      sync: () => handle.sync(),
      close: () => handle.close(),
    };
  },
  rename,
  rm,
};

/**
 * Writes a report completely or not at all: a temporary file in the same folder (so the rename
 * cannot cross file systems), written, flushed to disk, then renamed over the target. On any
 * failure, a full disk included, the temporary file is removed and the target is untouched; the
 * error says what happened and what to do. The target is checked (extension, not a project's
 * files, no existing file unless asked) before the write and again just before the rename, as
 * the rendering in between can take minutes.
 */
export async function writeReport(out: string, data: Uint8Array | string, target: ExportTarget, fs: ReportFs = nodeReportFs): Promise<{ path: string; bytes: number }> {
  const path = checkExportTarget(out, target);
  const folder = dirname(path);
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const tmp = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let handle: Awaited<ReturnType<ReportFs['open']>> | undefined;
  try {
    handle = await fs.open(tmp, 'wx');
    await handle.write(bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    checkExportTarget(path, target);
    await fs.rename(tmp, path);
    return { path, bytes: bytes.length };
  } catch (error) {
    if (handle) await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    if (error instanceof LumenError) throw error;
    throw writeError(error, path, bytes.length);
  }
}

/** A failed write in the user's terms: what went wrong and what to do. */
function writeError(error: unknown, path: string, size: number): LumenError {
  const code = (error as NodeJS.ErrnoException).code;
  const megabytes = (size / 1e6).toFixed(1);
  const details = { path, code: code ?? null };
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new LumenError('invalid-argument', `The disk is full: the report (${megabytes} MB) could not be written to ${path}. Nothing was written.`, 'Free some space on that disk, or save the report on another one.', details);
    case 'EACCES':
    case 'EPERM':
      return new LumenError('invalid-argument', `Lumen may not write to ${dirname(path)}: the report could not be saved. Nothing was written.`, 'Choose a folder you can write to.', details);
    case 'EROFS':
      return new LumenError('invalid-argument', `${dirname(path)} is on a read-only disk: the report could not be saved. Nothing was written.`, 'Choose a folder on a writable disk.', details);
    case 'EISDIR':
      return new LumenError('invalid-argument', `${path} is a folder: the report could not be saved there.`, 'Give a file name for the report, e.g. report.html.', details);
    default:
      return new LumenError('internal', `The report could not be written to ${path} (${code ?? (error instanceof Error ? error.message : String(error))}). Nothing was written.`, 'Try again, or save the report elsewhere.', details);
  }
}
