import Database from 'libsql';
import { damagedProjectError } from './integrity';
import { migrations } from './migrations';

type Columns = Map<string, string[]>;

/** Each table's column names in a database. */
function columnsOf(db: Database.Database): Columns {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>;
  const columns: Columns = new Map();
  for (const { name } of tables) {
    const rows = db.prepare('SELECT name FROM pragma_table_info(?)').all(name) as Array<{ name: string }>;
    columns.set(name, rows.map((r) => r.name));
  }
  return columns;
}

let expected: Columns | undefined;

/** The tables and columns the migrations make, from an in-memory database that ran them all (once per process). */
function expectedColumns(): Columns {
  if (!expected) {
    const db = new Database(':memory:');
    try {
      for (const migration of migrations) db.exec(migration);
      expected = columnsOf(db);
    } finally {
      db.close();
    }
  }
  return expected;
}

/**
 * The schema's text lives in the file like any data: damage to it (a flipped bit in a column's
 * name) passes SQLite's integrity check and shows only when a query names the column, as "no such
 * column". So at open, every table the migrations make must be there with exactly their columns;
 * anything else is a damaged project, said as one, before any query fails halfway.
 */
export function checkSchemaText(db: Database.Database, path: string): void {
  let actual: Columns;
  try {
    actual = columnsOf(db);
  } catch {
    throw damagedProjectError(path, 'its schema cannot be read');
  }
  for (const [table, columns] of expectedColumns()) {
    const found = actual.get(table);
    if (!found) throw damagedProjectError(path, `the table ${table} is missing`);
    const missing = columns.filter((c) => !found.includes(c));
    const extra = found.filter((c) => !columns.includes(c));
    if (missing.length > 0 || extra.length > 0) {
      const what = [missing.length > 0 ? `lacks ${missing.join(', ')}` : '', extra.length > 0 ? `has unknown ${extra.map((c) => JSON.stringify(c).slice(0, 40)).join(', ')}` : ''].filter(Boolean).join(' and ');
      throw damagedProjectError(path, `its schema is damaged: the table ${table} ${what}`);
    }
  }
}
