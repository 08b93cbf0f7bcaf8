import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LumenError } from '../../../../shared/errors';
import { databaseFile, ProjectStore } from '../project-store';

/**
 * Runs an import as a preview: the very same importer, on a scratch copy of the project's database
 * (SQLite's `VACUUM INTO`, a consistent snapshot even while others write), so the report (counts,
 * every problem row) is exactly what the import would give, and the project itself is never
 * written nor locked while the preview reads and hashes the files (an audit writing results
 * meanwhile is not held up). The copy goes when the preview ends.
 */
export async function asPreview<T>(store: ProjectStore, work: (scratch: ProjectStore) => Promise<T>): Promise<T> {
  const folder = mkdtempSync(join(tmpdir(), 'lumen-import-preview-'));
  try {
    store.db.exec(`VACUUM INTO '${join(folder, databaseFile).replaceAll("'", "''")}'`);
    const scratch = ProjectStore.open(folder);
    try {
      return await work(scratch);
    } catch (error) {
      throw inProject(error, scratch.folder, store.folder);
    } finally {
      scratch.close();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** An error of the preview names the project, never the scratch copy. */
function inProject(error: unknown, scratch: string, project: string): unknown {
  if (!(error instanceof LumenError)) return error;
  const fix = (text: string): string => text.replaceAll(scratch, project);
  return new LumenError(error.code, fix(error.message), error.hint === undefined ? undefined : fix(error.hint), error.details);
}
