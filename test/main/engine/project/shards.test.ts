import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'libsql';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../src/main/cli/run-cli';
import { importFolder } from '../../../../src/main/engine/project/dataset-import';
import { pragmaValue, ProjectStore } from '../../../../src/main/engine/project/project-store';
import { mergeShards, mergeShardsInto, openDatabaseReadOnly, openShard } from '../../../../src/main/engine/project/shards';
import { failure } from '../../../helpers/failure';
import { tempDir } from '../../../helpers/tiny-models';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');

/** A project at `project` with a dataset "set" of `count` tiny PNGs (kept outside the project). */
async function project(folder: string, count: number): Promise<string> {
  const images = tempDir('lumen-shard-images-');
  for (let i = 0; i < count; i++) await sharp(Buffer.alloc(16, i), { raw: { width: 4, height: 4, channels: 1 } }).png().toFile(join(images, `${i}.png`));
  const store = ProjectStore.open(folder, { create: true });
  await importFolder(store, 'set', images);
  store.close();
  return folder;
}

/** Shard i/N of "set" with a gradient run whose results carry `metrics` and, when `map` is given, a map file of that many bytes. */
function auditedShard(folder: string, index: number, count: number, metrics: string, map?: number): void {
  const shard = openShard(folder, 'set', { index, count }, undefined);
  const modelId = shard.db.prepare('INSERT INTO models (file, sha256, card) VALUES (?, ?, ?)').run('m.onnx', 'abc', '{}').lastInsertRowid;
  const runId = shard.db.prepare('INSERT INTO runs (model_id, method, params, seed, lumen_version, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(modelId, 'gradient', '{}', 0, 'test', 'now').lastInsertRowid;
  for (const { id } of shard.db.prepare('SELECT id FROM images').all() as Array<{ id: number }>) {
    const artifact = map === undefined ? null : `run-${runId}/${id}.npy`;
    if (artifact) {
      mkdirSync(join(shard.artifacts, `run-${runId}`), { recursive: true });
      writeFileSync(join(shard.artifacts, artifact), Buffer.alloc(map!, id));
    }
    shard.db.prepare('INSERT INTO results (run_id, image_id, target, score, map_artifact, metrics) VALUES (?, ?, ?, ?, ?, ?)').run(runId, id, 1, 0.5, artifact, JSON.stringify({ note: metrics }));
  }
  shard.close();
}

function results(folder: string): number {
  const db = openDatabaseReadOnly(join(folder, 'project.db'));
  try {
    return Number((db.prepare('SELECT count(*) AS n FROM results').get() as { n: number }).n);
  } finally {
    db.close();
  }
}

describe('shards read the project (and each other) read-only', () => {
  it('a database opened read-only refuses every write, and its file is unchanged', () => {
    const path = join(tempDir(), 'real.db');
    const writer = new Database(path);
    writer.pragma('journal_mode = WAL');
    writer.exec("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('kept')");
    writer.close();
    const before = readFileSync(path);
    // libsql ignores `new Database(path, { readonly: true })`: that connection could write.
    const db = openDatabaseReadOnly(path);
    expect(() => db.prepare("INSERT INTO t VALUES ('written')").run()).toThrow(expect.objectContaining({ code: 'SQLITE_READONLY' }));
    expect(() => db.exec('DELETE FROM t')).toThrow(/readonly/);
    expect(() => db.exec('CREATE TABLE u (y)')).toThrow(/readonly/);
    expect(db.prepare('SELECT group_concat(x) AS xs FROM t').get()).toMatchObject({ xs: 'kept' });
    db.close();
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('a path with spaces, # and ? is opened as that file, not as a URI with a query', async () => {
    const folder = await project(join(tempDir(), 'my study #2?'), 3);
    auditedShard(folder, 2, 3, 'small');
    const db = openDatabaseReadOnly(join(folder, 'shards', 'set-2-of-3', 'project.db'));
    expect(db.prepare('SELECT count(*) AS n FROM images').get()).toMatchObject({ n: 1 });
    db.close();
    expect(await mergeShards(folder)).toEqual({ shards: 1, added: 1, unchanged: 0 });
  });
});

describe('a full disk during lumen merge', () => {
  it('SQLITE_FULL: the merge stops with the free space, keeps the shards merged before, and the same merge finishes later', async () => {
    const folder = await project(join(tempDir(), 'study'), 4);
    auditedShard(folder, 1, 2, 'small');
    // The second shard's results need pages the database may not grow by.
    auditedShard(folder, 2, 2, 'x'.repeat(20_000));
    const store = ProjectStore.open(folder);
    try {
      // SQLite's own size limit makes it report a full disk for real (SQLITE_FULL).
      store.db.pragma(`max_page_count = ${Number(pragmaValue(store.db, 'page_count')) + 1}`);
      const error = await failure(mergeShardsInto(store));
      expect(error.message).toMatch(/^The merge stopped at shard set-2-of-2 \(2 of 2\): the disk is full \(\d+(\.\d)? MB free\) on .*study; the 1 shard\(s\) merged before it are kept\.$/);
      expect(error.message).not.toMatch(/rollback|bug/i);
      expect(error.hint).toBe('Free some space on that disk, then run the same command again to finish the merge.');
      expect(error.details).toMatchObject({ code: 'SQLITE_FULL', shard: 'set-2-of-2' });
      expect(store.db.inTransaction).toBe(false);
      expect(pragmaValue(store.db, 'quick_check')).toBe('ok');
    } finally {
      store.close();
    }
    expect(results(folder)).toBe(2);
    expect(await mergeShards(folder)).toEqual({ shards: 2, added: 2, unchanged: 2 });
    expect(results(folder)).toBe(4);
  });

  it('a real full disk (a small tmpfs) through `lumen merge`: one line with the free space, exit 1, then resumed once the disk is larger', async (context) => {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) return context.skip('mounting a small tmpfs needs root on Linux');
    const mountPoint = tempDir('lumen-tmpfs-');
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint], { encoding: 'utf8' });
    if (mount.status !== 0) return context.skip(`mounting a tmpfs is not permitted here (${(mount.stderr || mount.error?.message || '').trim()})`);
    try {
      const folder = await project(join(mountPoint, 'study'), 2);
      const free = () => Number(statfsSync(mountPoint).bavail) * Number(statfsSync(mountPoint).bsize);
      auditedShard(folder, 1, 1, 'small', Math.floor(free() * 0.3));
      // Maps are hard-linked into the project (no room needed): the disk is filled by something
      // else, all but room for the lock file, so that the merge's own writes find it full.
      const filler = join(mountPoint, 'filler');
      writeFileSync(filler, Buffer.alloc(Math.max(0, free() - 8192)));
      const lumen = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
        return { code, out: out.join('\n'), err: err.join('\n') };
      };
      const full = await lumen('merge', '--project', folder);
      expect(full.code).toBe(1);
      expect(full.err).toMatch(/^error: The merge stopped at shard set-1-of-1 \(1 of 1\): the disk is full \(0(\.\d)? MB free\) on .*study; the project is unchanged\. Free some space on that disk, then run the same command again to finish the merge\.$/);
      expect(results(folder)).toBe(0);
      rmSync(filler);
      const done = await lumen('merge', '--project', folder, '--json');
      expect(done.code, `${done.err} / ${done.out}`).toBe(0);
      expect(JSON.parse(done.out)).toEqual({ shards: 1, added: 2, unchanged: 0 });
      const store = ProjectStore.open(folder);
      for (const { map_artifact } of store.db.prepare('SELECT map_artifact FROM results').all() as Array<{ map_artifact: string }>) {
        expect(readFileSync(join(store.artifacts, map_artifact)).equals(readFileSync(join(folder, 'shards', 'set-1-of-1', 'artifacts', map_artifact)))).toBe(true);
      }
      store.close();
    } finally {
      // Lazily: libsql may hold a closed database's file until it is collected, which keeps the mount busy.
      spawnSync('umount', ['-l', mountPoint]);
    }
  });
});

describe('a full disk while a shard is made', () => {
  it('the audit says it could not start, with the free space; the project is unchanged and the same shard is made later', async (context) => {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) return context.skip('mounting a small tmpfs needs root on Linux');
    const mountPoint = tempDir('lumen-tmpfs-');
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mountPoint], { encoding: 'utf8' });
    if (mount.status !== 0) return context.skip(`mounting a tmpfs is not permitted here (${(mount.stderr || mount.error?.message || '').trim()})`);
    try {
      const folder = await project(join(mountPoint, 'study'), 1);
      // A large dataset (as rows: the slice copied is what matters) whose slice needs about 1 MB.
      const store = ProjectStore.open(folder);
      const datasetId = (store.db.prepare("SELECT id FROM datasets WHERE name = 'set'").get() as { id: number }).id;
      const insert = store.db.prepare('INSERT INTO images (dataset_id, path, label) VALUES (?, ?, ?)');
      store.db.exec('BEGIN');
      for (let i = 0; i < 4000; i++) insert.run(datasetId, `scans/${String(i).padStart(5, '0')}-${'p'.repeat(200)}.png`, 'x');
      store.db.exec('COMMIT');
      store.close();
      // What an empty shard takes (its database and log), measured on a disk with room.
      const roomy = join(tempDir(), 'roomy');
      await project(roomy, 1);
      openShard(roomy, 'set', { index: 1, count: 1 }, undefined).close();
      const du = (dir: string): number => Number(spawnSync('du', ['-sb', dir], { encoding: 'utf8' }).stdout.split('\t')[0]);
      const empty = du(join(roomy, 'shards'));
      // Leave room for the empty shard, not for its slice.
      const stat = statfsSync(mountPoint);
      const fill = Number(stat.bavail) * Number(stat.bsize) - empty - 192 * 1024;
      writeFileSync(join(mountPoint, 'filler'), Buffer.alloc(fill));
      let error: unknown;
      try {
        openShard(folder, 'set', { index: 1, count: 2 }, undefined).close();
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'invalid-argument', details: { code: expect.stringMatching(/^(SQLITE_FULL|ENOSPC)$/) } });
      expect((error as Error).message).toMatch(/^The audit could not start: the disk is full \(0(\.\d)? MB free\) on .*set-1-of-2; the project is unchanged\.$/);
      expect(existsSync(join(folder, 'shards', 'set-1-of-2', 'project.lock'))).toBe(false);
      spawnSync('rm', [join(mountPoint, 'filler')]);
      const shard = openShard(folder, 'set', { index: 1, count: 2 }, undefined);
      expect(shard.db.prepare('SELECT count(*) AS n FROM images').get()).toMatchObject({ n: 2001 });
      expect(pragmaValue(shard.db, 'quick_check')).toBe('ok');
      shard.close();
    } finally {
      // Lazily: libsql may hold a closed database's file until it is collected, which keeps the mount busy.
      spawnSync('umount', ['-l', mountPoint]);
    }
  });
});
