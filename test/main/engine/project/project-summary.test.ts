import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { testApi } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/tiny-models';
import { failure } from '../../../helpers/failure';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');

async function png(path: string, value: number): Promise<void> {
  await sharp(Buffer.alloc(6 * 4 * 3, value), { raw: { width: 6, height: 4, channels: 3 } }).png().toFile(path);
}

describe('projects.open and datasets.import: a project at a glance', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  const data = tempDir('lumen-data-');
  beforeAll(async () => {
    ({ api, close } = testApi());
    for (const label of ['normal', 'pneumonia']) mkdirSync(join(data, label));
    await png(join(data, 'normal', 'a.png'), 10);
    await png(join(data, 'normal', 'b.png'), 20);
    await png(join(data, 'pneumonia', 'c.png'), 30);
    await png(join(data, 'loose.png'), 40);
    writeFileSync(join(data, 'pneumonia', 'broken.png'), 'not an image');
  });
  afterAll(() => close());

  it('creates a project, imports a folder (problems reported per file) and summarises its datasets', async () => {
    const path = join(tempDir(), 'Chest study');
    const created = await api.call('projects.open', { path, create: true });
    expect(created).toMatchObject({ path, name: 'Chest study', demo: false, datasets: [], runs: [] });
    expect(created.schemaVersion).toBeGreaterThanOrEqual(1);

    const imported = await api.call('datasets.import', { project: path, dataset: 'xrays', folder: data });
    expect(imported).toEqual({ dataset: 'xrays', images: { added: 4, updated: 0, unchanged: 0 }, annotations: { added: 0, unchanged: 0 }, problems: [{ where: 'pneumonia/broken.png', reason: expect.stringMatching(/./) }] });
    expect(await api.call('datasets.import', { project: path, dataset: 'xrays', folder: data })).toMatchObject({ images: { added: 0, updated: 0 } });

    // Ground truth on two images: a box on one, a box and a mask on another; a region does not count.
    const store = ProjectStore.open(path);
    const id = (p: string) => (store.db.prepare('SELECT id FROM images WHERE path = ?').get(p) as { id: number }).id;
    const annotate = store.db.prepare("INSERT INTO annotations (image_id, kind, label, source, identity) VALUES (?, ?, '', 'test', ?)");
    annotate.run(id('normal/a.png'), 'box', 'b1');
    annotate.run(id('normal/b.png'), 'box', 'b2');
    annotate.run(id('normal/b.png'), 'mask', 'm1');
    annotate.run(id('pneumonia/c.png'), 'region', 'r1');
    store.close();

    const summary = await api.call('projects.open', { path });
    expect(summary.datasets).toEqual([{ name: 'xrays', images: 4, labels: ['normal', 'pneumonia'], annotated: 2 }]);
  });

  it('runs: dataset from their results or, before any, from their parameters; result counts; the latest job', async () => {
    const path = join(tempDir(), 'runs');
    await api.call('projects.open', { path, create: true });
    await api.call('datasets.import', { project: path, dataset: 'xrays', folder: data });
    const store = ProjectStore.open(path);
    const db = store.db;
    const datasetId = (db.prepare("SELECT id FROM datasets WHERE name = 'xrays'").get() as { id: number }).id;
    db.prepare("INSERT INTO datasets (name, root, created_at) VALUES ('empty', '/nowhere', 'now')").run();
    db.prepare("INSERT INTO models (file, sha256, card) VALUES ('resnet.onnx', 'abc', '{}')").run();
    const run = db.prepare("INSERT INTO runs (model_id, method, params, lumen_version, created_at) VALUES (1, ?, ?, 'test', ?)");
    run.run('gradient', JSON.stringify({ dataset: datasetId }), '2024-01-01T00:00:00.000Z');
    run.run('integrated-gradients', JSON.stringify({ dataset: datasetId }), '2024-01-02T00:00:00.000Z');
    run.run('lrp', 'not json', '2024-01-03T00:00:00.000Z');
    const images = (db.prepare('SELECT id FROM images ORDER BY path').all() as Array<{ id: number }>).map((r) => r.id);
    const result = db.prepare("INSERT INTO results (run_id, image_id, target, score, metrics) VALUES (?, ?, 0, 0.9, '{}')");
    for (const image of images.slice(0, 3)) result.run(1, image);
    const job = db.prepare("INSERT INTO jobs (run_id, state, created_at, updated_at) VALUES (?, ?, 'now', 'now')");
    job.run(1, 'failed');
    job.run(1, 'done');
    job.run(2, 'paused');
    store.close();

    const summary = await api.call('projects.open', { path });
    expect(summary.datasets.map((d) => [d.name, d.images, d.labels])).toEqual([
      ['empty', 0, []],
      ['xrays', 4, ['normal', 'pneumonia']],
    ]);
    expect(summary.runs).toEqual([
      { id: 1, dataset: 'xrays', method: 'gradient', modelFile: 'resnet.onnx', createdAt: '2024-01-01T00:00:00.000Z', results: 3, jobId: 2, state: 'done' },
      { id: 2, dataset: 'xrays', method: 'integrated-gradients', modelFile: 'resnet.onnx', createdAt: '2024-01-02T00:00:00.000Z', results: 0, jobId: 3, state: 'paused' },
      { id: 3, dataset: null, method: 'lrp', modelFile: 'resnet.onnx', createdAt: '2024-01-03T00:00:00.000Z', results: 0, jobId: null, state: null },
    ]);
  });

  it('a folder that is not a project, a missing folder and a file are clear errors; nothing is created', async () => {
    const empty = tempDir();
    const notProject = await failure(api.call('projects.open', { path: empty }));
    expect(notProject.code).toBe('not-found');
    expect(notProject.message).toBe(`${empty} is not a Lumen project (it has no project.db).`);
    expect(notProject.hint).toMatch(/create a new project in this folder/);
    const missing = await failure(api.call('projects.open', { path: join(empty, 'nope') }));
    expect(missing.message).toBe(`There is no folder ${join(empty, 'nope')}.`);
    expect(missing.hint).toMatch(/create a new project there/);
    const file = join(empty, 'file.txt');
    writeFileSync(file, 'x');
    for (const create of [false, true]) {
      const error = await failure(api.call('projects.open', { path: file, create }));
      expect(error.code).toBe('invalid-argument');
      expect(error.message).toBe(`${file} is a file, not a project folder.`);
    }
    expect(existsSync(join(empty, 'project.db')) || existsSync(join(empty, 'nope'))).toBe(false);
    const recent = (await api.call('projects.recent', {})).map((r) => r.path);
    expect(recent.some((p) => p.startsWith(empty))).toBe(false);
    // The import names the problem too.
    expect((await failure(api.call('datasets.import', { project: empty, dataset: 'd', folder: data }))).message).toMatch(/is not a Lumen project/);
    const project = join(tempDir(), 'p');
    await api.call('projects.open', { path: project, create: true });
    expect((await failure(api.call('datasets.import', { project, dataset: 'd', folder: join(empty, 'no-such-folder') }))).code).toBe('not-found');
  });
});
