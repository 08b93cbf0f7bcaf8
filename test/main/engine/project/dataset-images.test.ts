import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { DatasetImagesParams } from '../../../../src/shared/contract/project';
import { datasetImages } from '../../../../src/main/engine/project/dataset-images';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { testApi } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/tiny-models';
import { failure } from '../../../helpers/failure';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');

const imageCount = 3000;
const classes = ['cat', 'dog', 'fox', 'owl', 'Yak'];

/** A project with one dataset of 3000 images (inserted directly) and one run with a result for all but every 10th image. */
function makeProject(folder: string): { runId: number; emptyRunId: number } {
  const store = ProjectStore.open(folder, { create: true });
  const db = store.db;
  db.transaction(() => {
    const dataset = Number(db.prepare("INSERT INTO datasets (name, root, created_at) VALUES ('big', '/data/big', 'now')").run().lastInsertRowid);
    db.prepare("INSERT INTO datasets (name, root, created_at) VALUES ('other', '/data/other', 'now')").run();
    const card = JSON.stringify({ output: { labels: classes } });
    const model = Number(db.prepare("INSERT INTO models (file, sha256, card) VALUES ('m.onnx', 'abc', ?)").run(card).lastInsertRowid);
    const run = db.prepare("INSERT INTO runs (model_id, method, params, lumen_version, created_at) VALUES (?, 'gradient', '{}', 'test', 'now')");
    const runId = Number(run.run(model).lastInsertRowid);
    run.run(model);
    const image = db.prepare('INSERT INTO images (dataset_id, path, width, height, label) VALUES (?, ?, ?, ?, ?)');
    const result = db.prepare('INSERT INTO results (run_id, image_id, target, score, metrics) VALUES (?, ?, ?, ?, ?)');
    for (let k = 0; k < imageCount; k++) {
      // Every 7th image is unlabelled; labels cycle; the model is right on even k.
      const label = k % 7 === 0 ? null : classes[k % classes.length]!;
      const id = Number(image.run(dataset, `img/${String(k).padStart(5, '0')}.png`, 100 + (k % 3), 80, label).lastInsertRowid);
      if (k % 10 === 9) continue;
      const target = k % 2 === 0 ? k % classes.length : (k + 1) % classes.length;
      const metrics: Record<string, number> = { truthMass: (k % 100) / 100, borderMass: 0.1 };
      if (k % 3 === 0) metrics['pointing-game'] = k % 2;
      result.run(runId, id, target, 0.5 + (k % 50) / 100, JSON.stringify(metrics));
    }
  })();
  store.close();
  return { runId: 1, emptyRunId: 2 };
}

describe('datasets.images: a page of a dataset, with a run as columns', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  const project = join(tempDir(), 'big-project');
  let runId: number;
  let emptyRunId: number;
  beforeAll(() => {
    ({ api, close } = testApi());
    ({ runId, emptyRunId } = makeProject(project));
  });
  afterAll(() => close());

  it('without a run: paths in order, labels and sizes, empty result columns, total of the filter', async () => {
    const page = await api.call('datasets.images', { project, dataset: 'big', limit: 3 });
    expect(page.total).toBe(imageCount);
    expect(page.metricColumns).toEqual([]);
    expect(page.rows).toEqual([
      { path: 'img/00000.png', label: null, width: 100, height: 80, predicted: null, confidence: null, correct: null, metrics: {}, flags: [] },
      { path: 'img/00001.png', label: 'dog', width: 101, height: 80, predicted: null, confidence: null, correct: null, metrics: {}, flags: [] },
      { path: 'img/00002.png', label: 'fox', width: 102, height: 80, predicted: null, confidence: null, correct: null, metrics: {}, flags: [] },
    ]);
    const last = await api.call('datasets.images', { project, dataset: 'big', offset: imageCount - 2, limit: 10 });
    expect(last.rows.map((r) => r.path)).toEqual(['img/02998.png', 'img/02999.png']);
    expect((await api.call('datasets.images', { project, dataset: 'other' })).total).toBe(0);
  });

  it('with a run: predicted label from the model card, confidence, correctness, metrics and the audit flags', async () => {
    const page = await api.call('datasets.images', { project, dataset: 'big', runId, offset: 1, limit: 9 });
    expect(page.metricColumns).toEqual(['borderMass', 'pointing-game', 'truthMass']);
    const [k1, k2, k3] = page.rows;
    // k = 1: label dog, target (1 + 1) % 5 = 2 (fox): wrong, confidence 0.51; no flag (not confident).
    expect(k1).toEqual({ path: 'img/00001.png', label: 'dog', width: 101, height: 80, predicted: 'fox', confidence: 0.51, correct: false, metrics: { truthMass: 0.01, borderMass: 0.1 }, flags: ['only 1% of the attribution lies on the ground truth'] });
    expect(k2).toMatchObject({ predicted: 'fox', correct: true, metrics: { truthMass: 0.02, borderMass: 0.1 } });
    // k = 3: pointing game 1 (odd k), so no miss flag; k = 6: pointing game 0, a miss.
    expect(k3!.metrics['pointing-game']).toBe(1);
    const k6 = page.rows.find((r) => r.path === 'img/00006.png')!;
    expect(k6.flags).toContain('the maximum of the attribution is off the ground truth (pointing game miss)');
    // k = 9 has no result in the run: its result columns are empty.
    expect(page.rows.find((r) => r.path === 'img/00009.png')).toMatchObject({ predicted: null, confidence: null, correct: null, metrics: {}, flags: [] });
    // A confident mistake is flagged as the audit flags it. k = 47: label 'fox', predicted (47 + 1) % 5 = 3 (owl), confidence 0.97.
    const mistake = await api.call('datasets.images', { project, dataset: 'big', runId, search: '00047' });
    expect(mistake.rows[0]).toMatchObject({ label: 'fox', predicted: 'owl', confidence: 0.97, correct: false });
    expect(mistake.rows[0]!.flags).toContain('misclassified as "owl" with 97% confidence');
  });

  it('search (path or label, ignoring case) and label filters; the total counts the filtered rows', async () => {
    const yak = await api.call('datasets.images', { project, dataset: 'big', search: 'yAK', limit: 1000 });
    // k % 5 == 4 and k % 7 != 0.
    const expected = Array.from({ length: imageCount }, (_, k) => k).filter((k) => k % 5 === 4 && k % 7 !== 0).length;
    expect(yak.total).toBe(expected);
    expect(yak.rows.every((r) => r.label === 'Yak')).toBe(true);
    expect((await api.call('datasets.images', { project, dataset: 'big', search: 'img/0299' })).total).toBe(10);
    expect((await api.call('datasets.images', { project, dataset: 'big', search: '%' })).total).toBe(0);
    const dogs = await api.call('datasets.images', { project, dataset: 'big', label: 'dog', search: '001' });
    expect(dogs.rows.every((r) => r.label === 'dog' && r.path.includes('001'))).toBe(true);
    expect(dogs.total).toBeGreaterThan(0);
    expect((await api.call('datasets.images', { project, dataset: 'big', label: 'DOG' })).total).toBe(0);
  });

  it('sorts by label, predicted, confidence or a stored metric, either way; rows without a value come last; ties by path', async () => {
    const byConfidence = await api.call('datasets.images', { project, dataset: 'big', runId, sort: 'confidence', descending: true, limit: 3 });
    expect(byConfidence.rows.map((r) => [r.path, r.confidence])).toEqual([
      // k % 50 == 49 would be 0.99, but those images (k % 10 == 9) have no result.
      ['img/00048.png', 0.98],
      ['img/00098.png', 0.98],
      ['img/00148.png', 0.98],
    ]);
    const ascending = await api.call('datasets.images', { project, dataset: 'big', runId, sort: 'confidence', offset: imageCount - 300 - 1, limit: 2 });
    // 2700 results, then the 300 images without one (k % 10 == 9), in path order.
    expect(ascending.rows.map((r) => [r.path, r.confidence])).toEqual([
      ['img/02998.png', 0.98],
      ['img/00009.png', null],
    ]);
    const byMetric = await api.call('datasets.images', { project, dataset: 'big', runId, sort: 'truthMass', descending: true, limit: 2 });
    expect(byMetric.rows.map((r) => r.metrics['truthMass'])).toEqual([0.98, 0.98]);
    // 900 images have the metric (k % 3 == 0, less the 100 without a result): 400 with 1 (odd k), then 500 with 0, then the rest.
    const pointing = async (offset: number) => (await api.call('datasets.images', { project, dataset: 'big', runId, sort: 'pointing-game', descending: true, offset, limit: 2 })).rows.map((r) => r.metrics['pointing-game'] ?? null);
    expect(await pointing(399)).toEqual([1, 0]);
    expect(await pointing(899)).toEqual([0, null]);
    const byPredicted = await api.call('datasets.images', { project, dataset: 'big', runId, sort: 'predicted', descending: true, limit: 1 });
    expect(byPredicted.rows[0]!.predicted).toBe('Yak'); // case-insensitive: Yak after owl
    const byLabel = await api.call('datasets.images', { project, dataset: 'big', sort: 'label', limit: 1 });
    expect(byLabel.rows[0]).toMatchObject({ path: 'img/00005.png', label: 'cat' });
    const unlabelledLast = await api.call('datasets.images', { project, dataset: 'big', sort: 'label', descending: true, offset: imageCount - 1 });
    expect(unlabelledLast.rows[0]!.label).toBeNull();
    const pathDown = await api.call('datasets.images', { project, dataset: 'big', descending: true, limit: 1 });
    expect(pathDown.rows[0]!.path).toBe('img/02999.png');
  });

  it('a page of 3000 images comes back fast, filtered, sorted by a metric and joined with the run', async () => {
    const store = ProjectStore.open(project);
    const queries = [
      { project, dataset: 'big', sort: 'path', descending: false, offset: 1500, limit: 200 },
      { project, dataset: 'big', runId, sort: 'truthMass', descending: true, offset: 0, limit: 200 },
      { project, dataset: 'big', runId, sort: 'predicted', descending: false, offset: 2000, limit: 200, search: 'img' },
    ];
    const times: number[] = [];
    try {
      for (const q of queries) {
        const t0 = performance.now();
        const page = datasetImages(store, q);
        times.push(performance.now() - t0);
        expect(page.rows.length).toBe(200);
      }
    } finally {
      store.close();
    }
    // Through the contract: open the project, query, close it.
    const t0 = performance.now();
    const page = await api.call('datasets.images', { project, dataset: 'big', runId, sort: 'truthMass', descending: true, search: 'img', limit: 200, offset: 1000 });
    const viaApi = performance.now() - t0;
    expect(page.rows.length).toBe(200);
    console.info(`datasets.images over ${imageCount} images: pages in ${times.map((t) => t.toFixed(1)).join(' / ')} ms (path / metric / predicted), ${viaApi.toFixed(1)} ms through the contract including opening the project`);
    // Times are reported, not asserted (machines vary): bench/hospital.ts measures pages at 100,000 images.
  });

  it('metric columns follow the results as they are added', async () => {
    expect((await api.call('datasets.images', { project, dataset: 'big', runId, limit: 1 })).metricColumns).toEqual(['borderMass', 'pointing-game', 'truthMass']);
    const store = ProjectStore.open(project);
    const image = (store.db.prepare("SELECT id FROM images WHERE path = 'img/00009.png'").get() as { id: number }).id;
    store.db.prepare(`INSERT INTO results (run_id, image_id, target, score, metrics) VALUES (?, ?, 0, 0.5, '{"cornerMass": 0.4}')`).run(runId, image);
    store.close();
    try {
      const page = await api.call('datasets.images', { project, dataset: 'big', runId, search: '00009' });
      expect(page.metricColumns).toEqual(['borderMass', 'cornerMass', 'pointing-game', 'truthMass']);
      expect(page.rows[0]).toMatchObject({ predicted: 'cat', metrics: { cornerMass: 0.4 }, flags: ['40% of the attribution lies in the corners'] });
    } finally {
      const again = ProjectStore.open(project);
      again.db.prepare('DELETE FROM results WHERE image_id = ?').run(image);
      again.close();
    }
  });

  it('bad input: an unknown dataset, run or sort column, a metric without a run, a folder that is not a project', async () => {
    const dataset = await failure(api.call('datasets.images', { project, dataset: 'nope' }));
    expect(dataset.code).toBe('not-found');
    expect(dataset.hint).toBe('Its datasets: big, other.');
    expect((await failure(api.call('datasets.images', { project, dataset: 'big', runId: 99 }))).message).toMatch(/There is no run 99/);
    const sort = await failure(api.call('datasets.images', { project, dataset: 'big', runId, sort: 'truthmass' }));
    expect(sort.code).toBe('invalid-argument');
    expect(sort.message).toBe(`Run ${runId} stored no metric "truthmass".`);
    expect(sort.hint).toBe('Sort by one of: path, label, series, predicted, confidence, borderMass, pointing-game, truthMass.');
    expect((await failure(api.call('datasets.images', { project, dataset: 'big', runId: emptyRunId, sort: 'truthMass' }))).message).toMatch(/stored no metric/);
    expect((await failure(api.call('datasets.images', { project, dataset: 'big', sort: 'truthMass' }))).message).toMatch(/without a run/);
    expect((await failure(api.call('datasets.images', { project: tempDir(), dataset: 'big' }))).message).toMatch(/is not a Lumen project/);
  });
});

describe('a run\'s metric columns', () => {
  it('follow every change to the results, also where SQLite gives a new result the id of a deleted one', () => {
    const store = ProjectStore.open(join(tempDir(), 'columns'), { create: true });
    const db = store.db;
    try {
      db.prepare("INSERT INTO datasets (name, root, created_at) VALUES ('d', '/x', 'now')").run();
      db.prepare(`INSERT INTO models (file, sha256, card) VALUES ('m.onnx', 'h', '{"output":{"labels":["a"]}}')`).run();
      db.prepare(`INSERT INTO runs (model_id, method, params, lumen_version, created_at) VALUES (1, 'gradient', '{"dataset":1}', 't', 'now')`).run();
      const image = db.prepare('INSERT INTO images (dataset_id, path, width, height) VALUES (1, ?, 4, 4)');
      const result = db.prepare('INSERT INTO results (run_id, image_id, target, score, metrics) VALUES (1, ?, 0, 0.5, ?)');
      const add = (k: number, metrics: object): number => Number(result.run(Number(image.run(`img/${k}.png`).lastInsertRowid), JSON.stringify(metrics)).lastInsertRowid);
      const columns = () => datasetImages(store, DatasetImagesParams.parse({ project: store.folder, dataset: 'd', runId: 1 })).metricColumns;
      for (let k = 0; k < 3; k++) add(k, { zeta: k, alpha: k });
      expect(columns()).toEqual(['alpha', 'zeta']);
      const last = add(3, { Beta: 1, é: 2 });
      expect(columns()).toEqual(['Beta', 'alpha', 'zeta', 'é']);
      // The last result deleted and another added: the same count, and SQLite reuses the id.
      db.prepare('DELETE FROM results WHERE id = ?').run(last);
      expect(add(4, { gamma: 1 })).toBe(last);
      expect(columns()).toEqual(['alpha', 'gamma', 'zeta']);
      db.prepare("UPDATE results SET metrics = '{}' WHERE metrics LIKE '%alpha%'").run();
      expect(columns()).toEqual(['gamma']);
    } finally {
      store.close();
    }
  });
});
