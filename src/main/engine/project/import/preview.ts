import type { ProjectStore } from '../project-store';

/**
 * Runs an import as a preview: the very same code, inside one transaction that is rolled back, so
 * the report (counts, every problem row) is exactly what the import would give and the project is
 * left as it was. Importers commit through `inTransaction`, which nests as a savepoint here.
 * Reading stays open to other connections meanwhile; another writer waits for the preview (up to
 * the store's busy timeout), which is why a preview is a step the user takes, not a background job.
 */
export async function asPreview<T>(store: ProjectStore, work: () => Promise<T>): Promise<T> {
  store.db.exec('BEGIN');
  try {
    return await work();
  } finally {
    if (store.db.inTransaction) store.db.exec('ROLLBACK');
  }
}
