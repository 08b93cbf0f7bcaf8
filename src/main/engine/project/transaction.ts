import type Database from 'libsql';

/**
 * Runs `work` in one transaction. Unlike libsql's `db.transaction()`, a failure that SQLite has
 * already rolled back itself (SQLITE_FULL, SQLITE_IOERR...) is not followed by a second ROLLBACK,
 * whose "cannot rollback - no transaction is active" would hide the real error.
 */
export function inTransaction<T>(db: Database.Database, work: () => T): T {
  // Inside an outer transaction (an import's preview, which rolls everything back) this is a
  // savepoint: it nests, and a failure undoes only its own work.
  if (db.inTransaction) return inSavepoint(db, work);
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

function inSavepoint<T>(db: Database.Database, work: () => T): T {
  db.exec('SAVEPOINT nested');
  try {
    const result = work();
    db.exec('RELEASE nested');
    return result;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK TO nested; RELEASE nested');
    throw error;
  }
}
