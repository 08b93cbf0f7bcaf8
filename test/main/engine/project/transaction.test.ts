import { join } from 'node:path';
import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../../src/main/engine/project/transaction';
import { tempDir } from '../../../helpers/tiny-models';

/** A real database that may not grow: SQLite reports SQLITE_FULL and rolls the transaction back itself. */
function fullDatabase(): Database.Database {
  const db = new Database(join(tempDir(), 'full.db'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (x TEXT)');
  db.pragma(`max_page_count = ${Number(Object.values(db.prepare('PRAGMA page_count').get() as object)[0])}`);
  return db;
}

describe('inTransaction', () => {
  it('a full disk surfaces as SQLITE_FULL, not as "cannot rollback" (libsql’s transaction() hides it)', () => {
    const db = fullDatabase();
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    const fill = () => {
      for (let i = 0; i < 10_000; i++) insert.run('x'.repeat(100));
    };
    expect(() => db.transaction(fill)()).toThrow(/cannot rollback - no transaction is active/);
    let error: unknown;
    try {
      inTransaction(db, fill);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'SQLITE_FULL' });
    expect(db.inTransaction).toBe(false);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toMatchObject({ n: 0 });
    db.close();
  });

  it('commits the work, and rolls back an ordinary failure', () => {
    const db = new Database(join(tempDir(), 'ok.db'));
    db.exec('CREATE TABLE t (x INTEGER)');
    expect(inTransaction(db, () => db.prepare('INSERT INTO t VALUES (1)').run().changes)).toBe(1);
    expect(() =>
      inTransaction(db, () => {
        db.prepare('INSERT INTO t VALUES (2)').run();
        throw new Error('no');
      }),
    ).toThrow('no');
    expect(db.prepare('SELECT group_concat(x) AS xs FROM t').get()).toMatchObject({ xs: '1' });
    db.close();
  });
});
