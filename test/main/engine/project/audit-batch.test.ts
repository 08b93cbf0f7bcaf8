import { join } from 'node:path';
import Database from 'libsql';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditParams } from '../../../../src/shared/contract/audit';
import { OpenModelParams } from '../../../../src/shared/contract/requests';
import { Engine } from '../../../../src/main/engine/engine';
import type { AttributionService } from '../../../../src/main/engine/attribution/attribution-service';
import { runAudit } from '../../../../src/main/engine/project/audit-job';
import { importFolder } from '../../../../src/main/engine/project/dataset-import';
import { JobControls } from '../../../../src/main/engine/project/job-controls';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { readNpyFile, toFloat32 } from '../../../../src/main/engine/io/npy';
import type { LoadedModel } from '../../../../src/main/engine/model/model-registry';
import { failure } from '../../../helpers/failure';
import { tempDir } from '../../../helpers/tiny-models';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');

/** A project with the six bundled samples as a dataset. */
async function samplesProject(): Promise<string> {
  const folder = join(tempDir(), 'study');
  const store = ProjectStore.open(folder, { create: true });
  await importFolder(store, 'samples', 'resources/samples');
  store.close();
  return folder;
}

interface StoredImage {
  path: string;
  target: number;
  score: number;
  metrics: Record<string, number>;
  map: Float32Array;
}

/** Every result of run 1 with its map, read back from the database and the artifact files. */
async function storedImages(project: string): Promise<StoredImage[]> {
  const db = new Database(join(project, 'project.db'));
  try {
    const rows = db
      .prepare('SELECT i.path, r.target, r.score, r.metrics, r.map_artifact FROM results r JOIN images i ON i.id = r.image_id WHERE r.run_id = 1 ORDER BY i.path')
      .all() as Array<{ path: string; target: number; score: number; metrics: string; map_artifact: string }>;
    return Promise.all(
      rows.map(async (r) => ({ path: r.path, target: r.target, score: r.score, metrics: JSON.parse(r.metrics) as Record<string, number>, map: toFloat32(await readNpyFile(join(project, 'artifacts', r.map_artifact))) })),
    );
  } finally {
    db.close();
  }
}

function jobState(project: string): { state: string; done: number; results: number } {
  const db = new Database(join(project, 'project.db'));
  try {
    const job = db.prepare('SELECT state, done FROM jobs ORDER BY id DESC').get() as { state: string; done: number };
    const { n } = db.prepare('SELECT count(*) AS n FROM results WHERE run_id = 1').get() as { n: number };
    return { state: job.state, done: Number(job.done), results: Number(n) };
  } finally {
    db.close();
  }
}

/** The largest difference between two maps, relative to the larger map's largest magnitude. */
function relativeDifference(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(a[i]!), Math.abs(b[i]!));
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  }
  return worst / Math.max(scale, 1e-30);
}

function expectSameResults(batched: StoredImage[], alone: StoredImage[]): void {
  expect(batched.map((r) => r.path)).toEqual(alone.map((r) => r.path));
  for (const [i, one] of alone.entries()) {
    const many = batched[i]!;
    expect(many.target, one.path).toBe(one.target);
    expect(many.score).toBeCloseTo(one.score, 5);
    expect(Object.keys(many.metrics).sort()).toEqual(Object.keys(one.metrics).sort());
    for (const [name, value] of Object.entries(one.metrics)) expect(many.metrics[name], `${one.path} ${name}`).toBeCloseTo(value, 4);
    expect(many.map).toHaveLength(one.map.length);
    expect(relativeDifference(many.map, one.map), one.path).toBeLessThan(1e-4);
  }
}

describe('batched audits: images share attribution runs, the next batch decodes ahead', () => {
  let engine: Engine;
  let model: LoadedModel;
  const request = (project: string, method: string, params: Record<string, unknown>, metrics: unknown[] = []) => ({
    ...AuditParams.parse({ project, dataset: 'samples', modelId: model.id, method, params, metrics }),
    model,
  });
  beforeAll(async () => {
    engine = new Engine({ graphCacheDir: null });
    const summary = await engine.handlers['models.open'](OpenModelParams.parse({}), { requestId: 'test', signal: new AbortController().signal });
    model = engine.models.get(summary.id);
  }, 60_000);
  const services = (jobs = new JobControls(), attributions: AttributionService = engine.attributions) => ({ attributions, evaluations: engine.evaluations, jobs });

  it('Grad-CAM with deletion and insertion: four images per batch store what one at a time stores', async () => {
    const curves = [
      { metric: 'deletion', params: { stepFraction: 0.05 } },
      { metric: 'insertion', params: { stepFraction: 0.05 } },
    ];
    const alone = await samplesProject();
    const batched = await samplesProject();
    const one = await runAudit(services(), { ...request(alone, 'grad-cam', {}, curves), batchSize: 1 });
    const four = await runAudit(services(), { ...request(batched, 'grad-cam', {}, curves), batchSize: 4 });
    expect(four).toMatchObject({ state: 'done', computed: 6, failures: [] });
    expect(one).toMatchObject({ state: 'done', computed: 6, failures: [] });
    const results = await storedImages(batched);
    // The samples are of different classes, so one run held rows seeded for different targets.
    expect(new Set(results.map((r) => r.target)).size).toBeGreaterThan(1);
    expect(results[0]!.metrics).toHaveProperty('deletion');
    expect(results[0]!.metrics).toHaveProperty('insertion');
    expectSameResults(results, await storedImages(alone));
  }, 240_000);

  it('Integrated Gradients: path points of three images per batch give each image its own map', async () => {
    const alone = await samplesProject();
    const batched = await samplesProject();
    await runAudit(services(), { ...request(alone, 'integrated-gradients', { steps: 8 }), batchSize: 1 });
    await runAudit(services(), { ...request(batched, 'integrated-gradients', { steps: 8 }), batchSize: 3 });
    expectSameResults(await storedImages(batched), await storedImages(alone));
  }, 240_000);

  it('a method without per-image targets (SmoothGrad) still runs in batches, one image at a time, and matches', async () => {
    const alone = await samplesProject();
    const batched = await samplesProject();
    const params = { samples: 4, seed: 3 };
    await runAudit(services(), { ...request(alone, 'smoothgrad', params), batchSize: 1, limit: 3 });
    await runAudit(services(), { ...request(batched, 'smoothgrad', params), batchSize: 3, limit: 3 });
    expectSameResults(await storedImages(batched), await storedImages(alone));
  }, 240_000);

  it('cancelled between two images of a batch: the finished image is kept, the rest of the batch is not, and the audit resumes', async () => {
    const project = await samplesProject();
    const jobs = new JobControls();
    const error = await failure(
      runAudit(services(jobs), {
        ...request(project, 'gradient', {}),
        batchSize: 4,
        onProgress: (done, _total, jobId) => {
          if (done === 1 && jobId !== undefined) jobs.stop(project, jobId, 'cancel');
        },
      }),
    );
    expect(error.message).toBe('The audit was cancelled after 1 of 6 images; run it again to resume.');
    expect(jobState(project)).toEqual({ state: 'cancelled', done: 1, results: 1 });
    const resumed = await runAudit(services(jobs), { ...request(project, 'gradient', {}), batchSize: 4 });
    expect(resumed).toMatchObject({ state: 'done', resumed: 1, computed: 5 });
    expect(jobState(project)).toEqual({ state: 'done', done: 6, results: 6 });
  }, 120_000);

  it('cancelled while a batch is being attributed: that batch stores nothing, earlier batches stay, the job says cancelled', async () => {
    const project = await samplesProject();
    const jobs = new JobControls();
    const real = engine.attributions;
    let batches = 0;
    // The real service; the cancel arrives just as the second batch's attribution starts.
    const cancelling = Object.assign(Object.create(real) as AttributionService, {
      attributeImages: (...args: Parameters<AttributionService['attributeImages']>) => {
        if (++batches === 2) jobs.stop(project, 1, 'cancel');
        return real.attributeImages(...args);
      },
    });
    const error = await failure(runAudit(services(jobs, cancelling), { ...request(project, 'integrated-gradients', { steps: 4 }), batchSize: 4 }));
    expect(error.message).toBe('The audit was cancelled after 4 of 6 images; run it again to resume.');
    expect(batches).toBe(2);
    expect(jobState(project)).toEqual({ state: 'cancelled', done: 4, results: 4 });
  }, 120_000);

  it('an unreadable image in a batch is a failure of that image; the others of its batch are stored', async () => {
    const project = await samplesProject();
    const db = new Database(join(project, 'project.db'));
    db.prepare("UPDATE images SET path = 'missing.png' WHERE path = 'coffee.png'").run();
    db.close();
    const result = await runAudit(services(), { ...request(project, 'gradient', {}), batchSize: 4 });
    expect(result.computed).toBe(5);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]!.path).toBe('missing.png');
    expect(jobState(project)).toMatchObject({ state: 'done', results: 5 });
  }, 120_000);
});
