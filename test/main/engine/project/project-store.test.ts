import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import { LumenError } from '../../../../src/shared/errors';
import { migrations } from '../../../../src/main/engine/project/migrations';
import { importFolder } from '../../../../src/main/engine/project/dataset-import';
import { openProject, withOpenProject } from '../../../../src/main/engine/project/open-project';
import { pragmaValue, ProjectStore } from '../../../../src/main/engine/project/project-store';
import { projectSummary } from '../../../../src/main/engine/project/project-summary';
import { testApi } from '../../../helpers/engine';
import { failure } from '../../../helpers/failure';
import { tempDir } from '../../../helpers/tiny-models';

/** The LumenError a synchronous open throws. */
function refusal(open: () => unknown): LumenError {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(LumenError);
    return error as LumenError;
  }
  throw new Error('expected a refusal');
}

/** A project with a dataset, an image and a map artifact, closed. */
function projectWithData(): string {
  const dir = join(tempDir(), 'study');
  const store = ProjectStore.open(dir, { create: true });
  store.db.prepare("INSERT INTO datasets (name, root, created_at) VALUES ('d', '/x', 'now')").run();
  store.db.exec('BEGIN');
  for (let i = 0; i < 400; i++) store.db.prepare('INSERT INTO images (dataset_id, path, width, height, label) VALUES (1, ?, 4, 3, ?)').run(`img-${i}.png`, `label ${i % 7} `.repeat(8));
  store.db.exec('COMMIT');
  mkdirSync(join(dir, 'artifacts', 'run-1'));
  writeFileSync(join(dir, 'artifacts', 'run-1', '1.npy'), 'a map');
  store.close();
  return dir;
}

describe('project store (a real SQLite file)', () => {
  it('creates a project from an empty folder: database in WAL mode, every migration, artifacts folder', () => {
    const dir = join(tempDir(), 'study');
    const store = ProjectStore.open(dir, { create: true });
    expect(store.schemaVersion).toBe(migrations.length);
    expect(pragmaValue(store.db, 'journal_mode')).toBe('wal');
    const tables = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name);
    expect(tables).toEqual(['annotations', 'datasets', 'dicom_instances', 'explanations', 'images', 'jobs', 'models', 'notes', 'result_metric_order', 'result_order', 'results', 'run_metric_names', 'runs']);
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
    // Migration 3: an image's DICOM facts, gone with the image.
    store.db.prepare("INSERT INTO dicom_instances (image_id, sop_instance_uid, study_instance_uid, series_instance_uid, frames) VALUES (1, '1.2.3', '1.2', '1.2.4', 2)").run();
    store.db.prepare('DELETE FROM images').run();
    expect(store.db.prepare('SELECT count(*) AS n FROM notes').get()).toMatchObject({ n: 0 });
    expect(store.db.prepare('SELECT count(*) AS n FROM dicom_instances').get()).toMatchObject({ n: 0 });
    store.close();
  });

  it('opening a folder that is not a project, without create, is a clear error with a command that exists', () => {
    const error = refusal(() => ProjectStore.open(tempDir()));
    expect(error.message).toMatch(/is not a Lumen project/);
    expect(error.hint).toMatch(/lumen import --project .* --create --dataset NAME --folder DIR/);
    expect(error.hint).not.toMatch(/lumen project create/);
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
    expect(() => ProjectStore.open(dir)).toThrow(/is damaged .*Lumen did not modify it; a copy was saved as/);
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

  it('a zero-byte or missing database next to artifacts is damage: said so, never a new empty project', async () => {
    const dir = projectWithData();
    writeFileSync(join(dir, 'project.db'), '');
    for (const open of [() => ProjectStore.open(dir), () => ProjectStore.open(dir, { create: true }), () => openProject(dir), () => openProject(dir, { create: true })]) {
      const error = refusal(open);
      expect(error.code).toBe('damaged-project');
      expect(error.message).toBe(`The project database ${join(dir, 'project.db')} is empty (0 bytes), but the folder still holds the project's artifacts/ (1 entry): the project is damaged, and Lumen did not create a new, empty one over it.`);
      expect(error.hint).toMatch(/Restore project\.db from a backup/);
    }
    // Nothing was created: the database is still empty, the artifacts are where they were.
    expect(statSync(join(dir, 'project.db')).size).toBe(0);
    expect(readFileSync(join(dir, 'artifacts', 'run-1', '1.npy'), 'utf8')).toBe('a map');
    expect(existsSync(join(dir, 'project.lock'))).toBe(false);
    rmSync(join(dir, 'project.db'));
    const missing = refusal(() => openProject(dir, { create: true }));
    expect(missing.code).toBe('damaged-project');
    expect(missing.message).toMatch(/project\.db is missing, but the folder still holds the project's artifacts\//);
    expect(existsSync(join(dir, 'project.db'))).toBe(false);
    await expect(withOpenProject(dir, () => 1)).rejects.toThrow(/is missing/);
    // A zero-byte database with nothing else (a creation that stopped at once) is simply a new project.
    const fresh = tempDir();
    writeFileSync(join(fresh, 'project.db'), '');
    const store = ProjectStore.open(fresh);
    expect(store.schemaVersion).toBe(migrations.length);
    store.close();
  });

  it('damaged pages: one line with the remedy, and one copy per distinct damage, not one per open', () => {
    const dir = projectWithData();
    const path = join(dir, 'project.db');
    const pageSize = 4096;
    const pages = statSync(path).size / pageSize;
    expect(pages).toBeGreaterThan(4);
    // Scribble over two pages of the images table (not the first page: the file stays a database).
    const fd = openSync(path, 'r+');
    for (const page of [pages - 2, pages - 1]) writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, page * pageSize);
    closeSync(fd);
    const damaged = readFileSync(path);
    const first = refusal(() => ProjectStore.open(dir));
    expect(first.code).toBe('damaged-project');
    expect(first.message).not.toContain('\n');
    expect(first.message).toMatch(/^The project database .*project\.db is damaged \(.+\)\. Lumen did not modify it; a copy was saved as .*project\.db\.damaged-[0-9a-f]{16}\.$/);
    expect(first.hint).toBe('Restore the project from a backup, or create a new project and import the dataset again.');
    const copies = () => readdirSync(dir).filter((f) => f.startsWith('project.db.damaged-'));
    expect(copies()).toHaveLength(1);
    expect(readFileSync(join(dir, copies()[0]!)).equals(damaged)).toBe(true);
    // The same damage again: the same copy, named, not a new one.
    const again = refusal(() => ProjectStore.open(dir));
    expect(again.message).toMatch(/a copy was saved earlier as .*damaged-[0-9a-f]{16}\.$/);
    expect(copies()).toHaveLength(1);
    // Other damage: its own copy.
    const fd2 = openSync(path, 'r+');
    writeSync(fd2, Buffer.alloc(pageSize, 0x33), 0, pageSize, (pages - 3) * pageSize);
    closeSync(fd2);
    refusal(() => ProjectStore.open(dir));
    expect(copies()).toHaveLength(2);
    expect(readFileSync(path).equals(damaged)).toBe(false);
  });
});

/**
 * A read-only place for a project: a read-only bind mount where this test runs as root (root
 * ignores file permissions), file permissions otherwise; null (the test skips, saying why) where
 * neither is possible.
 */
function readOnlyView(dir: string): { path: string; undo: () => void } | { skip: string } {
  if (process.getuid?.() !== 0) {
    const files = readdirSync(dir);
    for (const f of files) chmodSync(join(dir, f), 0o555);
    chmodSync(dir, 0o555);
    return { path: dir, undo: () => { chmodSync(dir, 0o755); for (const f of files) chmodSync(join(dir, f), 0o755); } };
  }
  const view = tempDir('lumen-ro-');
  const bind = spawnSync('mount', ['--bind', dir, view], { encoding: 'utf8' });
  if (bind.status !== 0) return { skip: `running as root, and a read-only bind mount is not permitted here (${(bind.stderr || bind.error?.message || '').trim()})` };
  const ro = spawnSync('mount', ['-o', 'remount,bind,ro', view], { encoding: 'utf8' });
  if (ro.status !== 0) {
    spawnSync('umount', ['-l', view]);
    return { skip: `running as root, and remounting read-only is not permitted here (${ro.stderr.trim()})` };
  }
  return { path: view, undo: () => void spawnSync('umount', ['-l', view]) };
}

describe('a project on a read-only drive or folder', () => {
  const undo: Array<() => void> = [];
  afterEach(() => undo.splice(0).forEach((u) => u()));

  it('opens read-only: views work, no lock is written, changes say why they cannot be made', async (context) => {
    const dir = projectWithData();
    const view = readOnlyView(dir);
    if ('skip' in view) return context.skip(view.skip);
    undo.push(view.undo);
    const store = openProject(view.path);
    expect(store.readOnly).toBe(true);
    expect(projectSummary(store)).toMatchObject({ readOnly: true, datasets: [{ name: 'd', images: 400 }] });
    expect(existsSync(join(view.path, 'project.lock'))).toBe(false);
    store.close();
    const error = await failure(withOpenProject(view.path, (s) => s.db.prepare("INSERT INTO datasets (name, root, created_at) VALUES ('e', '/y', 'now')").run()));
    expect(error.message).toBe(`Lumen cannot save changes in ${view.path}: this project is read-only (on a read-only drive or folder).`);
    expect(error.hint).toMatch(/Copy the project folder/);
    // Any write, by any code (here the dataset import the CLI runs), gets the same answer.
    const direct = ProjectStore.open(view.path);
    try {
      await expect(importFolder(direct, 'more', 'resources/samples')).rejects.toThrow(`Lumen cannot save changes in ${view.path}: this project is read-only (on a read-only drive or folder).`);
      expect(() => direct.db.exec("UPDATE datasets SET root = '/z'")).toThrow(/this project is read-only/);
      expect(direct.db.prepare('SELECT count(*) AS n FROM images').get()).toMatchObject({ n: 400 });
    } finally {
      direct.close();
    }
  });

  it('through the contract: projects.open says read-only, views answer, imports and audits say why not', async (context) => {
    const dir = projectWithData();
    const view = readOnlyView(dir);
    if ('skip' in view) return context.skip(view.skip);
    undo.push(view.undo);
    const { api, close } = testApi();
    try {
      expect(await api.call('projects.open', { path: view.path })).toMatchObject({ readOnly: true, datasets: [{ name: 'd', images: 400 }] });
      expect((await api.call('datasets.images', { project: view.path, dataset: 'd', limit: 5 })).rows).toHaveLength(5);
      expect(await api.call('jobs.list', { project: view.path })).toEqual([]);
      const imported = await failure(api.call('datasets.import', { project: view.path, dataset: 'more', folder: 'resources/samples' }));
      expect(imported.message).toMatch(/this project is read-only \(on a read-only drive or folder\)\.$/);
      const modelId = (await api.call('models.open', {})).id;
      const audit = await failure(api.call('audit', { project: view.path, dataset: 'd', modelId, method: 'gradient' }));
      expect(audit.message).toBe(`Lumen cannot run an audit in ${view.path}: this project is read-only (on a read-only drive or folder).`);
      expect(existsSync(join(view.path, 'project.lock'))).toBe(false);
    } finally {
      await close();
    }
  }, 60_000);
});
