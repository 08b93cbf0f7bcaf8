import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'libsql';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditParams } from '../../../../src/shared/contract/audit';
import { OpenModelParams } from '../../../../src/shared/contract/requests';
import { Engine } from '../../../../src/main/engine/engine';
import { projectStorage, runAudit, type AuditStorage } from '../../../../src/main/engine/project/audit-job';
import { importFolder } from '../../../../src/main/engine/project/dataset-import';
import { JobControls } from '../../../../src/main/engine/project/job-controls';
import { pragmaValue, ProjectStore } from '../../../../src/main/engine/project/project-store';
import type { LoadedModel } from '../../../../src/main/engine/model/model-registry';
import { failure } from '../../../helpers/failure';
import { tempDir } from '../../../helpers/tiny-models';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');

/** A project with the six bundled samples as a dataset. */
async function samplesProject(folder = join(tempDir(), 'study')): Promise<string> {
  const store = ProjectStore.open(folder, { create: true });
  await importFolder(store, 'samples', 'resources/samples');
  store.close();
  return folder;
}

/** The audit's job and results as the database holds them, read by a connection of its own. */
function stored(project: string): { state: string; error: string | null; done: number; results: number; check: unknown } {
  const db = new Database(join(project, 'project.db'));
  try {
    const job = db.prepare('SELECT state, error, done FROM jobs ORDER BY id DESC').get() as { state: string; error: string | null; done: number };
    const { n } = db.prepare('SELECT count(*) AS n FROM results WHERE run_id = 1').get() as { n: number };
    return { ...job, results: Number(n), check: pragmaValue(db, 'quick_check') };
  } finally {
    db.close();
  }
}

describe('a disk that fills up during an audit', () => {
  let engine: Engine;
  let model: LoadedModel;
  const services = () => ({ attributions: engine.attributions, evaluations: engine.evaluations, jobs: new JobControls() });
  const request = (project: string) => ({ ...AuditParams.parse({ project, dataset: 'samples', modelId: model.id, method: 'gradient' }), model });
  beforeAll(async () => {
    engine = new Engine({ graphCacheDir: null });
    const summary = await engine.handlers['models.open'](OpenModelParams.parse({}), { requestId: 'test', signal: new AbortController().signal });
    model = engine.models.get(summary.id);
  }, 60_000);

  it('SQLite reports SQLITE_FULL: the job pauses with the free space, the database stays intact, the same audit resumes', async () => {
    const project = await samplesProject();
    // SQLite's own limit on the database's size makes it report a full disk for real: after two
    // images, the results table is filled to its last bytes and may not grow by a page.
    let store: ProjectStore | undefined;
    let artifacts = 0;
    const filling: AuditStorage = {
      open: (r) => (store = ProjectStore.open(r.project)),
      writeArtifact: async (path, data) => {
        if (++artifacts === 3) {
          const db = store!.db;
          db.prepare("INSERT INTO models (file, sha256, card) VALUES ('filler', 'filler', '{}')").run();
          db.prepare("INSERT INTO runs (model_id, method, params, lumen_version, created_at) VALUES (last_insert_rowid(), 'filler', '{}', '0', 'now')").run();
          const run = Number((db.prepare("SELECT id FROM runs WHERE method = 'filler'").get() as { id: number }).id);
          db.pragma(`max_page_count = ${Number(pragmaValue(db, 'page_count'))}`);
          // The largest rows that still fit, until the page has no room for another result.
          const filler = db.prepare('INSERT INTO results (run_id, image_id, target, metrics) VALUES (?, ?, 0, ?)');
          let refused = 0;
          for (let image = 1; image <= 6; image++) {
            for (let size = 4000; size >= 40; size -= 40) {
              try {
                filler.run(run, image, 'x'.repeat(size));
                break;
              } catch (error) {
                expect((error as { code?: string }).code).toBe('SQLITE_FULL');
                refused++;
              }
            }
          }
          expect(refused).toBeGreaterThan(0);
        }
        await projectStorage.writeArtifact(path, data);
      },
    };
    const error = await failure(runAudit(services(), request(project), filling));
    expect(error.message).toMatch(/^The audit was paused after 2 of 6 images: the disk is full \(\d+(\.\d)? MB free\) on .*study; the results so far are kept\.$/);
    expect(error.message).not.toMatch(/rollback|bug/i);
    expect(error.hint).toBe('Free some space on that disk, then run the same command again to resume.');
    expect(error.details).toMatchObject({ code: 'SQLITE_FULL' });
    const paused = stored(project);
    expect(paused).toMatchObject({ state: 'paused', done: 2, results: 2, check: 'ok' });
    expect(paused.error).toMatch(/^the disk is full \(\d+(\.\d)? MB free\)$/);
    expect(existsSync(join(project, 'project.lock'))).toBe(false);
    // The same audit, with room again, resumes where it stopped.
    const resumed = await runAudit(services(), request(project));
    expect(resumed).toMatchObject({ state: 'done', total: 6, resumed: 2, computed: 4 });
    expect(stored(project)).toMatchObject({ state: 'done', done: 6, error: null, results: 6, check: 'ok' });
  }, 120_000);

  it('the file system reports ENOSPC writing a map: paused, no partial map left, resumed', async () => {
    const project = await samplesProject();
    let artifacts = 0;
    const full: AuditStorage = {
      ...projectStorage,
      writeArtifact: async (path, data) => {
        if (++artifacts === 4) throw Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: 'ENOSPC', errno: -28, syscall: 'write' });
        await projectStorage.writeArtifact(path, data);
      },
    };
    const error = await failure(runAudit(services(), request(project), full));
    expect(error.message).toMatch(/^The audit was paused after 3 of 6 images: the disk is full \(\d+(\.\d)? MB free\)/);
    expect(stored(project)).toMatchObject({ state: 'paused', done: 3, results: 3, check: 'ok' });
    expect(readdirSync(join(project, 'artifacts', 'run-1'))).toHaveLength(3);
    expect(await runAudit(services(), request(project))).toMatchObject({ state: 'done', resumed: 3, computed: 3 });
  }, 120_000);

  it('a real full disk (a 1 MB tmpfs): paused, intact, and resumed once the disk is larger', async (context) => {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) return context.skip('mounting a small tmpfs needs root on Linux');
    const mountPoint = tempDir('lumen-tmpfs-');
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint], { encoding: 'utf8' });
    if (mount.status !== 0) return context.skip(`mounting a tmpfs is not permitted here (${(mount.stderr || mount.error?.message || '').trim()})`);
    try {
      const project = await samplesProject(join(mountPoint, 'study'));
      // Each map is 224 × 224 float32 (196 KiB): the disk fills after a few images.
      const error = await failure(runAudit(services(), request(project)));
      expect(error.message).toMatch(/^The audit was paused( after \d of 6 images)?: the disk is full \(0(\.\d)? MB free\)/);
      expect(error.message).not.toMatch(/rollback|bug/i);
      const paused = stored(project);
      expect(paused.check).toBe('ok');
      expect(paused.state).toMatch(/^(paused|running)$/);
      expect(paused.done).toBeLessThan(6);
      expect(spawnSync('mount', ['-o', 'remount,size=8m', mountPoint]).status).toBe(0);
      const resumed = await runAudit(services(), request(project));
      expect(resumed).toMatchObject({ state: 'done', total: 6 });
      expect(resumed.resumed).toBe(paused.results);
      expect(stored(project)).toMatchObject({ state: 'done', results: 6, check: 'ok' });
    } finally {
      spawnSync('umount', ['-l', mountPoint]); // lazily: the test process may still hold files there
    }
  }, 180_000);
});
