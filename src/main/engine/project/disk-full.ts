import { statfsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { LumenError } from '../../../shared/errors';

/**
 * Whether an error means the disk (or the user's quota) is full: SQLite's SQLITE_FULL, or the
 * file system's ENOSPC / EDQUOT. Such a failure is the machine's state, not a bug: the work
 * pauses and can be resumed once there is space.
 */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT';
}

/** Megabytes free for this user on the disk that holds `folder` (one decimal); null when unknown. */
export async function freeMegabytes(folder: string): Promise<number | null> {
  try {
    const s = await statfs(folder);
    return Math.round((Number(s.bavail) * Number(s.bsize)) / 1e5) / 10;
  } catch {
    return null;
  }
}

/** "the disk is full (12.5 MB free)", as a job's state and an error say it. */
export function diskFullText(megabytes: number | null): string {
  return megabytes === null ? 'the disk is full' : `the disk is full (${megabytes} MB free)`;
}

/** `freeMegabytes`, for the places that must answer at once (opening a project). */
export function freeMegabytesSync(folder: string): number | null {
  try {
    const s = statfsSync(folder);
    return Math.round((Number(s.bavail) * Number(s.bsize)) / 1e5) / 10;
  } catch {
    return null;
  }
}

/** The error for work on a project that the full disk stopped: `what` is what could not be done ("open the project"). */
export function diskFullError(folder: string, what: string, error: unknown): LumenError {
  const free = freeMegabytesSync(folder);
  return new LumenError('invalid-argument', `Lumen could not ${what} ${folder}: ${diskFullText(free)}.`, 'Free some space on that disk, then try again.', {
    code: (error as { code?: unknown } | null)?.code ?? null,
    freeMegabytes: free,
    path: folder,
  });
}
