import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { workProjectFor } from '../../../../src/main/engine/project/dataset-evaluation';
import { testApi } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/tiny-models';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');
const cache = tempDir('lumen-cache-');
process.env['LUMEN_CACHE_DIR'] = cache;

/**
 * Dataset evaluation as an engine job: a folder with a cup (ground truth beside it), a rocket and
 * a file that is not an image; two methods, a faithfulness and a localisation metric.
 */
describe('evaluation.dataset: dataset evaluation on the audits’ code', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let modelId: string;
  const folder = join(tempDir(), 'dataset');
  const metrics = [
    { metric: 'deletion', params: { stepFraction: 0.25 } },
    { metric: 'pointing-game', params: {} },
  ];
  const cupBox = { x0: 40, y0: 60, x1: 190, y1: 200 };
  beforeAll(async () => {
    ({ api, close } = testApi());
    modelId = (await api.call('models.open', {})).id;
    mkdirSync(join(folder, 'cups'), { recursive: true });
    copyFileSync('resources/samples/coffee.png', join(folder, 'cups', 'coffee.png'));
    copyFileSync('resources/samples/rocket.jpg', join(folder, 'rocket.jpg'));
    writeFileSync(join(folder, 'broken.png'), 'not an image');
    writeFileSync(join(folder, 'cups', 'coffee.boxes.json'), JSON.stringify([cupBox]));
  });
  afterAll(() => close());
  const evaluate = (extra: Record<string, unknown> = {}, signal?: AbortSignal) =>
    api.call('evaluation.dataset', { modelId, folder, methods: ['grad-cam', 'edge-detector'], metrics, ...extra }, signal ? { signal } : {});

  it('scores every readable image with every method, as the single-image evaluation does, and keeps the results in a project', async () => {
    const progress: string[] = [];
    const stop = api.on('progress', (p) => p.message && progress.push(`${p.done}/${p.total} ${p.message}`));
    const result = await evaluate();
    stop();
    expect(result.images).toBe(3);
    expect(result.project).toBe(workProjectFor(cache, folder));
    expect(result.failures.map((f) => `${f.image} ${f.method}`)).toEqual(['broken.png grad-cam', 'broken.png edge-detector']);
    expect(progress).toContain('3/3 rocket.jpg · grad-cam');
    expect(progress).toContain('3/3 rocket.jpg · edge-detector');

    // The mean deletion score is the mean of the single-image evaluations of the top class.
    const single = async (file: string, withTruth: boolean) => {
      const imageId = (await api.call('images.open', { source: 'file', path: join(folder, file) })).id;
      return api.call('evaluate', { modelId, input: { kind: 'image', imageId }, method: 'grad-cam', params: {}, metrics: withTruth ? metrics : metrics.slice(0, 1), ...(withTruth ? { groundTruth: { boxes: [cupBox] } } : {}) });
    };
    const cup = await single('cups/coffee.png', true);
    const rocket = await single('rocket.jpg', false);
    const score = (r: typeof cup, metric: string) => r.metrics.find((m) => m.metric === metric)!.score;
    const deletion = result.summary.find((s) => s.method === 'grad-cam' && s.metric === 'deletion')!;
    expect(deletion).toMatchObject({ n: 2, higherIsBetter: false });
    expect(deletion.mean).toBeCloseTo((score(cup, 'deletion') + score(rocket, 'deletion')) / 2, 5);
    expect(deletion.ciLow).toBeLessThanOrEqual(deletion.mean);
    expect(deletion.ciHigh).toBeGreaterThanOrEqual(deletion.mean);
    // Only the cup has ground truth.
    const pointing = result.summary.find((s) => s.method === 'grad-cam' && s.metric === 'pointing-game')!;
    expect(pointing.n).toBe(1);
    expect(pointing.mean).toBe(score(cup, 'pointing-game'));
    expect(result.ranking.map((r) => r.method).sort()).toEqual(['edge-detector', 'grad-cam']);

    // Each method is an audit run of the project, its per-image results there to browse.
    expect(result.runs.map((r) => [r.method, r.computed, r.resumed])).toEqual([
      ['grad-cam', 2, 0],
      ['edge-detector', 2, 0],
    ]);
    const rows = await api.call('audit.results', { project: result.project, runId: result.runs[0]!.runId });
    expect(rows.rows.map((r) => r.path)).toEqual(['cups/coffee.png', 'rocket.jpg']);
    expect(rows.rows[0]!.metrics['deletion']).toBeCloseTo(score(cup, 'deletion'), 5);
    const jobs = await api.call('jobs.list', { project: result.project });
    expect(jobs.map((j) => j.state)).toEqual(['done', 'done']);
  });

  it('asked again, it resumes: nothing is computed twice and the numbers are the same', async () => {
    const first = await evaluate();
    const again = await evaluate();
    expect(again.runs.map((r) => [r.computed, r.resumed])).toEqual([
      [0, 2],
      [0, 2],
    ]);
    expect(again.summary).toEqual(first.summary);
  });

  it('a fixed target is another run, explaining that class in every image', async () => {
    const project = join(tempDir(), 'study');
    await api.call('projects.open', { path: project, create: true });
    const result = await evaluate({ target: 504, project, methods: ['edge-detector'] });
    const rows = await api.call('audit.results', { project, runId: result.runs[0]!.runId });
    expect(new Set(rows.rows.map((r) => r.predicted)).size).toBe(1);
    expect(result.project).toBe(project);
  });

  it('a limit takes the folder’s first images, as listed, the unreadable one included', async () => {
    const result = await evaluate({ limit: 2, methods: ['edge-detector'] });
    expect(result.images).toBe(2);
    expect(result.failures.map((f) => f.image)).toEqual(['broken.png']);
    const rows = await api.call('audit.results', { project: result.project, runId: result.runs[0]!.runId });
    expect(rows.rows.map((r) => r.path)).toEqual(['cups/coffee.png']);
  });

  it('cancelled in the middle, the job says so and the next run resumes it', async () => {
    const project = join(tempDir(), 'cancelled');
    await api.call('projects.open', { path: project, create: true });
    const controller = new AbortController();
    const stop = api.on('progress', (p) => p.done >= 2 && controller.abort());
    const failure = await evaluate({ project, methods: ['integrated-gradients'], params: { 'integrated-gradients': { steps: 16 } } }, controller.signal).catch((e: Error) => e);
    stop();
    expect(failure).toBeInstanceOf(Error);
    const [job] = await api.call('jobs.list', { project });
    expect(job!.state).toBe('cancelled');
    const resumed = await evaluate({ project, methods: ['integrated-gradients'], params: { 'integrated-gradients': { steps: 16 } } });
    expect(resumed.runs[0]!.resumed + resumed.runs[0]!.computed).toBe(2);
    expect(resumed.runs[0]!.resumed).toBe(job!.done);
  });

  it('a dataset of a project is evaluated as it is: its runs are the audits of the same method and metrics', async () => {
    const project = join(tempDir(), 'open');
    await api.call('projects.open', { path: project, create: true });
    await api.call('datasets.import', { project, dataset: 'photos', folder });
    const asked = { modelId, project, dataset: 'photos', methods: ['grad-cam', 'edge-detector'], metrics: metrics.slice(0, 1), limit: 2 };
    const result = await api.call('evaluation.dataset', asked);
    expect(result).toMatchObject({ project, dataset: 'photos', images: 2, failures: [] });
    expect(result.folder).toBe(folder);
    expect(result.runs.map((r) => [r.method, r.computed])).toEqual([
      ['grad-cam', 2],
      ['edge-detector', 2],
    ]);
    // The same audit asked for by hand resumes the evaluation's run: nothing is computed again.
    const audit = await api.call('audit', { project, dataset: 'photos', modelId, method: 'grad-cam', params: {}, metrics: metrics.slice(0, 1), limit: 2 });
    expect([audit.runId, audit.computed, audit.resumed]).toEqual([result.runs[0]!.runId, 0, 2]);
    const deletion = result.summary.find((s) => s.method === 'grad-cam')!;
    expect(deletion.mean).toBeCloseTo(audit.metrics.find((m) => m.metric === 'deletion')!.mean, 10);
  });

  it('a method that fails on every image is not ranked: its failures say why, the others are ranked', async () => {
    const project = join(tempDir(), 'unknown-method');
    await api.call('projects.open', { path: project, create: true });
    await api.call('datasets.import', { project, dataset: 'photos', folder });
    const result = await api.call('evaluation.dataset', { modelId, project, dataset: 'photos', methods: ['edge-detector', 'telekinesis'], metrics: metrics.slice(0, 1), limit: 1 });
    expect(result.ranking.map((r) => [r.method, r.meanRank])).toEqual([['edge-detector', 1]]);
    expect(result.failures.map((f) => f.method)).toEqual(['telekinesis']);
  });

  it('a folder and a dataset together, or a dataset without its project, is refused', async () => {
    const base = { modelId, methods: ['gradient'], metrics };
    await expect(api.call('evaluation.dataset', { ...base, folder, dataset: 'photos', project: tempDir() })).rejects.toThrow(/either a folder of images or a dataset of the project/);
    await expect(api.call('evaluation.dataset', { ...base, dataset: 'photos' })).rejects.toThrow(/give the project too/);
    const empty = join(tempDir(), 'empty');
    await api.call('projects.open', { path: empty, create: true });
    await expect(api.call('evaluation.dataset', { ...base, project: empty, dataset: 'photos' })).rejects.toThrow(/There is no dataset "photos"/);
  });

  it('an empty folder or an unknown metric is an error that says what to give', async () => {
    await expect(api.call('evaluation.dataset', { modelId, folder: tempDir(), methods: ['gradient'], metrics })).rejects.toThrow(/No images \(JPEG, PNG, WebP, TIFF\) under/);
    await expect(api.call('evaluation.dataset', { modelId, folder, methods: ['gradient'], metrics: [{ metric: 'telepathy' }] })).rejects.toThrow(/Unknown metric "telepathy"/);
  });
});
