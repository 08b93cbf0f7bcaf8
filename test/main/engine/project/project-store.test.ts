import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../src/main/engine/project/migrations';
import { pragmaValue, ProjectStore } from '../../../../src/main/engine/project/project-store';
import { tempDir } from '../../../helpers/tiny-models';

describe('project store (a real SQLite file)', () => {
  it('creates a project from an empty folder: database in WAL mode, every migration, artifacts folder', () => {
    const dir = join(tempDir(), 'study');
    const store = ProjectStore.open(dir, { create: true });
    expect(store.schemaVersion).toBe(migrations.length);
    expect(pragmaValue(store.db, 'journal_mode')).toBe('wal');
    const tables = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name);
    expect(tables).toEqual(['annotations', 'datasets', 'images', 'jobs', 'models', 'notes', 'results', 'runs']);
    expect(existsSync(join(dir, 'artifacts'))).toBe(true);
    store.db.prepare("INSERT INTO datasets (name, root, created_at) VALUES ('d', '/x', 'now')").run();
    store.close();
    // Reopening keeps the data and does not migrate again.
    const again = ProjectStore.open(dir);
    expect(again.db.prepare('SELECT count(*) AS n FROM datasets').get()).toMatchObject({ n: 1 });
    again.close();
  });

  it('an existing project made before the later migrations is brought up to date, its data kept', () => {
    const dir = tempDir();
    // A project as the first release wrote it: only the first migration, with an image in it.
    const db = new Database(join(dir, 'project.db'));
    db.exec(migrations[0]!);
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO datasets (name, root, created_at) VALUES ('d', '/x', 'now')").run();
    db.prepare("INSERT INTO images (dataset_id, path, width, height) VALUES (1, 'a.png', 4, 3)").run();
    db.close();
    const store = ProjectStore.open(dir);
    expect(store.schemaVersion).toBe(migrations.length);
    expect(store.db.prepare('SELECT path FROM images').all()).toMatchObject([{ path: 'a.png' }]);
    // The users' annotations table is there, tied to the images (deleting one takes its notes).
    store.db.prepare("INSERT INTO notes (image_id, shape, color, author, created_at, updated_at) VALUES (1, '{}', '#ffffff', 'me', 'now', 'now')").run();
    const indexes = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'notes'").all() as Array<{ name: string }>).map((i) => i.name);
    expect(indexes).toContain('notes_image');
    store.db.prepare('DELETE FROM images').run();
    expect(store.db.prepare('SELECT count(*) AS n FROM notes').get()).toMatchObject({ n: 0 });
    store.close();
  });

  it('opening a folder that is not a project, without create, is a clear error', () => {
    expect(() => ProjectStore.open(tempDir())).toThrow(/is not a Lumen project/);
  });

  it('a second process is told the project is open, not allowed in', () => {
    const dir = tempDir();
    ProjectStore.open(dir, { create: true }).close();
    // The parent of this test process is alive: as if it held the project.
    writeFileSync(join(dir, 'project.lock'), String(process.ppid));
    expect(() => ProjectStore.open(dir)).toThrow(/open in another Lumen process \(pid \d+\)/);
    // A lock left by a dead process is stale and taken over.
    writeFileSync(join(dir, 'project.lock'), '999999999');
    ProjectStore.open(dir).close();
  });

  it('a damaged database is left untouched, with a copy saved and the way out said', () => {
    const dir = tempDir();
    ProjectStore.open(dir, { create: true }).close();
    const garbage = Buffer.from('this is not a sqlite database at all '.repeat(200));
    writeFileSync(join(dir, 'project.db'), garbage);
    expect(() => ProjectStore.open(dir)).toThrow(/is damaged .*Lumen did not modify it; a copy was saved/);
    expect(readFileSync(join(dir, 'project.db')).equals(garbage)).toBe(true);
    expect(readdirSync(dir).some((f) => f.startsWith('project.db.damaged-'))).toBe(true);
    // And the lock was released: the folder is not left locked by the failed open.
    expect(existsSync(join(dir, 'project.lock'))).toBe(false);
  });

  it('a project from a newer Lumen is refused, not downgraded', () => {
    const dir = tempDir();
    ProjectStore.open(dir, { create: true }).close();
    const db = new Database(join(dir, 'project.db'));
    db.pragma('user_version = 99');
    db.close();
    expect(() => ProjectStore.open(dir)).toThrow(/schema version 99, made by a newer Lumen/);
  });
});
