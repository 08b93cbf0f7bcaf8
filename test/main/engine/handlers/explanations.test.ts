import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import type { ModelSummary } from '../../../../src/shared/contract/model';
import { lumenVersion } from '../../../../src/shared/version';
import { importFolder } from '../../../../src/main/engine/project/dataset-import';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { paramsProblem } from '../../../../src/main/engine/handlers/explanations';
import { testApi } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/tiny-models';

describe('explanations.* requests: a real attribution stored in a real project and read back', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let model: ModelSummary;
  const project = join(tempDir(), 'study');
  const image = { project, dataset: 'samples', path: 'coffee.png' };

  beforeAll(async () => {
    ({ api, close } = testApi());
    const store = ProjectStore.open(project, { create: true });
    await importFolder(store, 'samples', 'resources/samples');
    store.close();
    model = await api.call('models.open', {});
  });
  afterAll(() => close());

  it('saves what attribute returned; lists it back bit for bit, current for this model, stale for another', async () => {
    const opened = await api.call('images.open', { source: 'project', ...image });
    const result = await api.call('attribute', { modelId: model.id, input: { kind: 'image', imageId: opened.id }, method: 'grad-cam', params: {} });
    const events: unknown[] = [];
    const unsubscribe = api.on('project.changed', (e) => events.push(e));
    const saved = await api.call('explanations.save', {
      ...image,
      method: 'grad-cam',
      params: {},
      target: result.target,
      targetLabel: result.targetLabel,
      kind: result.kind,
      dims: result.dims,
      data: result.data,
      figures: result.figures,
      notes: result.notes,
      details: { objective: result.objective, params: result.params, timings: result.timings, executionProvider: result.executionProvider, graphSource: result.graphSource, graphRuns: result.graphRuns },
      model: { sha256: model.sha256, fileName: model.fileName },
    });
    expect(saved.id).toBeGreaterThan(0);
    await expect.poll(() => events).toEqual([{ project, what: 'explanations', dataset: 'samples' }]);
    unsubscribe();

    const listed = await api.call('explanations.list', { ...image, modelSha256: model.sha256 });
    expect(listed.damaged).toEqual([]);
    expect(listed.explanations).toHaveLength(1);
    const [e] = listed.explanations;
    expect(e).toMatchObject({ id: saved.id, method: 'grad-cam', target: result.target, targetLabel: result.targetLabel, dims: result.dims, lumenVersion, stale: null, model: { sha256: model.sha256 } });
    expect(e!.details?.timings.computeMs).toBe(result.timings.computeMs);
    expect(Buffer.from(e!.data.buffer, e!.data.byteOffset, e!.data.byteLength).equals(Buffer.from(result.data.buffer, result.data.byteOffset, result.data.byteLength))).toBe(true);

    const other = await api.call('explanations.list', { ...image, modelSha256: '0'.repeat(64) });
    expect(other.explanations[0]!.stale).toBe(`Made with another model, ${model.fileName} (sha ${model.sha256.slice(0, 12)}): recompute it with this one.`);
    // Another frame of the same file has none.
    expect((await api.call('explanations.list', { ...image, frame: 1, modelSha256: model.sha256 })).explanations).toEqual([]);

    expect(await api.call('explanations.delete', { ...image, method: 'grad-cam', params: {}, target: result.target })).toEqual({ deleted: true });
    expect((await api.call('explanations.list', { ...image, modelSha256: model.sha256 })).explanations).toEqual([]);
  });

  it('parameters the method refuses now (or a method this Lumen lacks) make a stored one stale; its defaults do not', async () => {
    expect(paramsProblem('integrated-gradients', {})).toBeUndefined();
    expect(paramsProblem('integrated-gradients', { steps: 16 })).toBeUndefined();
    expect(paramsProblem('integrated-gradients', { stepz: 16 })).toMatch(/stepz/);
    expect(paramsProblem('no-such-method', {})).toBe('this Lumen has no method "no-such-method"');
    const map = { targetLabel: 'x', kind: 'map' as const, dims: [2, 2], data: new Float32Array(4), figures: {}, notes: [], model: { sha256: model.sha256, fileName: model.fileName } };
    await api.call('explanations.save', { ...image, method: 'integrated-gradients', params: { stepz: 16 }, target: 3, ...map });
    await api.call('explanations.save', { ...image, method: 'integrated-gradients', params: { steps: 16 }, target: 4, ...map });
    const listed = await api.call('explanations.list', { ...image, modelSha256: model.sha256 });
    expect(listed.explanations.map((e) => [e.target, e.stale === null, e.paramsProblem !== undefined])).toEqual([
      [3, false, true],
      [4, true, false],
    ]);
    expect(listed.explanations[0]!.stale).toMatch(/^Its parameters no longer fit the method \(.*stepz.*\): recompute it\.$/);
  });

  it('a folder that is not a project is named as such, nothing created there', async () => {
    const error = await api.call('explanations.save', { ...image, project: join(tempDir(), 'none'), method: 'gradient', params: {}, target: 1, targetLabel: 'x', kind: 'map', dims: [1], data: new Float32Array(1), figures: {}, notes: [], model: { sha256: 'a', fileName: 'a.onnx' } }).catch((e: unknown) => e);
    expect((error as { code: string; message: string }).code).toBe('not-found');
    expect((error as { message: string }).message).toMatch(/There is no folder .*none/);
  });
});
