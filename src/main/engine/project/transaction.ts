import type Database from 'libsql';

/**
 * Runs `work` in one transaction. Unlike libsql's `db.transaction()`, a failure that SQLite has
 * already rolled back itself (SQLITE_FULL, SQLITE_IOERR...) is not followed by a second ROLLBACK,
 * whose "cannot rollback - no transaction is active" would hide the real error.
 */
export function inTransaction<T>(db: Database.Database, work: () => T): T {
  db.exec('BEGIN');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
