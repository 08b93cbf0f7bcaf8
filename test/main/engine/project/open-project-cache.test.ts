import { copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LumenError } from '../../../../src/shared/errors';
import { withOpenProject } from '../../../../src/main/engine/project/open-project';
import { closeKeptProject, closeKeptProjects, keptProjects } from '../../../../src/main/engine/project/open-project-cache';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { tempDir } from '../../../helpers/tiny-models';

/** A project with a dataset of `count` image rows, closed. */
function project(count: number): string {
  const dir = join(tempDir(), 'kept');
  const store = ProjectStore.open(dir, { create: true });
  store.db.prepare("INSERT INTO datasets (name, root, created_at) VALUES ('d', '/x', 'now')").run();
  store.db.exec('BEGIN');
  for (let i = 0; i < count; i++) store.db.prepare('INSERT INTO images (dataset_id, path, width, height) VALUES (1, ?, 4, 3)').run(`img-${i}.png`);
  store.db.exec('COMMIT');
  store.close();
  return dir;
}

const imageCount = (store: ProjectStore): number => Number((store.db.prepare('SELECT count(*) AS n FROM images').get() as { n: number }).n);

afterEach(() => closeKeptProjects());

describe('projects kept open between requests', () => {
  it('two requests reuse one connection, and the lock is held only while a request runs', async () => {
    const dir = project(3);
    const first = await withOpenProject(dir, (store) => store);
    expect(existsSync(join(dir, 'project.lock'))).toBe(false);
    const second = await withOpenProject(dir, (store) => {
      expect(readFileSync(join(dir, 'project.lock'), 'utf8')).toBe(String(process.pid));
      return store;
    });
    expect(second).toBe(first);
    expect(second.db).toBe(first.db);
    expect(keptProjects()).toContain(first.folder);
  });

  it('concurrent requests share the connection and each sees the other\'s committed writes', async () => {
    const dir = project(2);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = withOpenProject(dir, async (store) => {
      await gate;
      return { store, n: imageCount(store) };
    });
    const fast = await withOpenProject(dir, (store) => {
      store.db.prepare("INSERT INTO images (dataset_id, path) VALUES (1, 'new.png')").run();
      return store;
    });
    release();
    const seen = await slow;
    expect(seen.store).toBe(fast);
    expect(seen.n).toBe(3);
    // Both requests ended: the lock is gone and the log folded in (the file alone is the project).
    expect(existsSync(join(dir, 'project.lock'))).toBe(false);
    const copy = join(tempDir(), 'copy.db');
    copyFileSync(join(dir, 'project.db'), copy);
    const Database = (await import('libsql')).default;
    const db = new Database(copy);
    expect((db.prepare('SELECT count(*) AS n FROM images').get() as { n: number }).n).toBe(3);
    db.close();
  });

  it('a change committed by another process (its own connection) is seen by the kept connection, without reopening', async () => {
    const dir = project(2);
    const kept = await withOpenProject(dir, (store) => store);
    // Another Lumen process: the lock is free between requests, so it may open and write.
    const other = ProjectStore.open(dir);
    other.db.prepare("INSERT INTO images (dataset_id, path) VALUES (1, 'merged.png')").run();
    other.close();
    const after = await withOpenProject(dir, (store) => ({ store, n: imageCount(store) }));
    expect(after.n).toBe(3);
    expect(after.store).toBe(kept);
  });

  it('the project is busy while another process holds it, and served again once that process lets go', async () => {
    const dir = project(1);
    await withOpenProject(dir, () => undefined);
    // A live process other than this one holds the lock (this test's parent: alive, not us).
    writeFileSync(join(dir, 'project.lock'), String(process.ppid));
    const busy = await withOpenProject(dir, () => undefined).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(LumenError);
    expect((busy as LumenError).code).toBe('busy');
    rmSync(join(dir, 'project.lock'));
    expect(await withOpenProject(dir, imageCount)).toBe(1);
  });

  it('a project file replaced underneath is opened afresh (its own content, checked), not mixed with the kept connection', async () => {
    const dir = project(5);
    const other = project(2);
    const kept = await withOpenProject(dir, (store) => store);
    // A backup restored over the file in place (same inode, new bytes).
    copyFileSync(join(other, 'project.db'), join(dir, 'project.db'));
    const after = await withOpenProject(dir, (store) => ({ store, n: imageCount(store) }));
    expect(after.store).not.toBe(kept);
    expect(after.n).toBe(2);
    // Writing through the new connection leaves a sound database with the restored rows plus the write.
    await withOpenProject(dir, (store) => store.db.prepare("INSERT INTO images (dataset_id, path) VALUES (1, 'after.png')").run());
    closeKeptProjects();
    const check = ProjectStore.open(dir);
    expect(imageCount(check)).toBe(3);
    expect(check.db.prepare('PRAGMA quick_check').get()).toMatchObject({ quick_check: 'ok' });
    check.close();
  });

  it('a damaged file put in place of a kept project is detected by the integrity check, not served', async () => {
    const dir = project(400);
    await withOpenProject(dir, imageCount);
    const bytes = readFileSync(join(dir, 'project.db'));
    // Overwrite a page in the middle of the images table (not the header): only a check finds it.
    bytes.fill(0x5a, 4096 * 3, 4096 * 3 + 2000);
    writeFileSync(join(dir, 'project.db'), bytes);
    const damaged = await withOpenProject(dir, imageCount).catch((e: unknown) => e);
    expect(damaged).toBeInstanceOf(LumenError);
    expect((damaged as LumenError).code).toBe('damaged-project');
  });

  it('a deleted project file is reported as not a project, not served from the kept connection', async () => {
    const dir = project(2);
    await withOpenProject(dir, imageCount);
    rmSync(join(dir, 'project.db'));
    const gone = await withOpenProject(dir, imageCount).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(LumenError);
    expect(keptProjects()).not.toContain(dir);
  });

  it('closing a kept project lets the next request open it afresh; a close during a request waits for it', async () => {
    const dir = project(1);
    const first = await withOpenProject(dir, (store) => store);
    closeKeptProject(dir);
    expect(keptProjects()).not.toContain(first.folder);
    const during = await withOpenProject(dir, (store) => {
      closeKeptProject(dir);
      // Still usable until the request ends.
      return { store, n: imageCount(store) };
    });
    expect(during.store).not.toBe(first);
    expect(during.n).toBe(1);
    expect(keptProjects()).not.toContain(first.folder);
    // Closed with the log folded in: the file alone is the project.
    expect(statSync(join(dir, 'project.db-wal')).size).toBe(0);
  });
});
