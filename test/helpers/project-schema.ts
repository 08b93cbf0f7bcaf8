import Database from 'libsql';
import { migrations } from '../../src/main/engine/project/migrations';

/** A project database at `path` as an older Lumen left it: the first `version` migrations only. */
export function databaseAtSchema(path: string, version: number): InstanceType<typeof Database> {
  const db = new Database(path);
  for (const migration of migrations.slice(0, version)) db.exec(migration);
  db.pragma(`user_version = ${version}`);
  return db;
}
