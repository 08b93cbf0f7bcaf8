import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { importFolder } from '../../../../src/main/engine/project/dataset-import';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { testApi } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/tiny-models';

describe('audit jobs: pause, resume, list, and query the results', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let modelId: string;
  const project = join(tempDir(), 'study');
  beforeAll(async () => {
    ({ api, close } = testApi());
    modelId = (await api.call('models.open', {})).id;
    const store = ProjectStore.open(project, { create: true });
    await importFolder(store, 'samples', 'resources/samples');
    store.close();
  });
  afterAll(() => close());
  const audit = () => api.call('audit', { project, dataset: 'samples', modelId, method: 'integrated-gradients', params: { steps: 16 } });

  it('a paused job keeps its results and says paused; running it again resumes and completes', async () => {
    let paused = false;
    const stop = api.on('progress', (p) => {
      if (!paused && p.done >= 1) {
        paused = true;
        void api.call('jobs.pause', { project, jobId: 1 });
      }
    });
    await expect(audit()).rejects.toThrow(/The audit was paused after \d of 6 images; run it again to resume/);
    stop();
    const [job] = await api.call('jobs.list', { project });
    expect(job).toMatchObject({ id: 1, runId: 1, method: 'integrated-gradients', state: 'paused', total: 6 });
    expect(job!.done).toBeGreaterThanOrEqual(1);
    expect(job!.done).toBeLessThan(6);
    const resumed = await audit();
    expect(resumed.resumed).toBe(job!.done);
    expect(resumed.resumed + resumed.computed).toBe(6);
    expect((await api.call('jobs.list', { project }))[0]).toMatchObject({ state: 'done', done: 6 });
    expect(await api.call('jobs.pause', { project, jobId: 1 })).toEqual({ signalled: false });
  });

  it('results can be sorted, filtered and paged', async () => {
    const all = await api.call('audit.results', { project, runId: 1, sort: 'confidence', descending: true });
    expect(all.total).toBe(6);
    const confidences = all.rows.map((r) => r.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    const page = await api.call('audit.results', { project, runId: 1, sort: 'borderMass', limit: 2, offset: 1 });
    expect(page.total).toBe(6);
    expect(page.rows).toHaveLength(2);
    expect(page.rows[0]!.metrics['borderMass']).toBeLessThanOrEqual(page.rows[1]!.metrics['borderMass']!);
    // The samples have no labels: nothing is right or wrong.
    expect((await api.call('audit.results', { project, runId: 1, correct: true })).total).toBe(0);
    await expect(api.call('audit.results', { project, runId: 99 })).rejects.toThrow(/There is no run 99/);
  });

  it('audits only a selection of paths, as its own run, and refuses a selection outside the dataset', async () => {
    const selection = ['coffee.png', 'rocket.jpg'];
    const result = await api.call('audit', { project, dataset: 'samples', modelId, method: 'gradient', paths: selection });
    expect(result.total).toBe(2);
    const rows = await api.call('audit.results', { project, runId: result.runId });
    expect(rows.rows.map((r) => r.path).sort()).toEqual(selection);
    const again = await api.call('audit', { project, dataset: 'samples', modelId, method: 'gradient', paths: [...selection].reverse() });
    expect(again.runId).toBe(result.runId);
    expect(again.resumed).toBe(2);
    await expect(api.call('audit', { project, dataset: 'samples', modelId, method: 'gradient', paths: ['nope.png'] })).rejects.toThrow(/None of the 1 selected images is in the dataset "samples"/);
    await expect(api.call('audit', { project, dataset: 'samples', modelId, method: 'gradient', paths: ['coffee.png'], shard: '1/2' })).rejects.toThrow(/cannot be sharded/);
  });

  it('withdrawing the audit request in the middle of an image leaves the job cancelled, not interrupted', async () => {
    const controller = new AbortController();
    const running = api.call('audit', { project, dataset: 'samples', modelId, method: 'integrated-gradients', params: { steps: 64 } }, { signal: controller.signal });
    const failure = running.then(
      () => null,
      (e: Error) => e,
    );
    await new Promise((r) => setTimeout(r, 400));
    controller.abort();
    expect((await failure)?.message).toMatch(/cancelled/);
    const jobs = await api.call('jobs.list', { project });
    const job = jobs.find((j) => j.method === 'integrated-gradients' && j.id !== 1)!;
    expect(job).toMatchObject({ state: 'cancelled', error: null });
    expect(job.done).toBeLessThan(6);
  });

  it('a past run’s summary comes from the stored results: per-class accuracy, metric means, flags', async () => {
    const summary = await api.call('audit.summary', { project, runId: 1 });
    expect(summary).toMatchObject({ runId: 1, method: 'integrated-gradients', images: 6, total: 6, state: 'done' });
    // The samples have no labels: no accuracy per class; the mass shares are always measured.
    expect(summary.perClass).toEqual([]);
    expect(summary.metrics.map((m) => m.metric)).toEqual(expect.arrayContaining(['borderMass', 'cornerMass']));
    for (const m of summary.metrics) expect(m.ciLow).toBeLessThanOrEqual(m.ciHigh);
    const flagged = await api.call('audit.results', { project, runId: 1, flagged: true });
    expect(summary.flags.map((f) => f.path).sort()).toEqual(flagged.rows.map((r) => r.path).sort());
    await expect(api.call('audit.summary', { project, runId: 99 })).rejects.toThrow(/There is no run 99/);
  });
});
