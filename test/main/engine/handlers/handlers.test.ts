import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../../src/main/engine/engine';
import { requests } from '../../../../src/shared/contract/requests';
import { testApi } from '../../../helpers/engine';
import { failure } from '../../../helpers/failure';
import { tempDir } from '../../../helpers/tiny-models';

describe('the engine handlers, one module per domain', () => {
  it('answer every request of the contract, and nothing else', async () => {
    const engine = new Engine({ graphCacheDir: null });
    try {
      expect(Object.keys(engine.handlers).sort()).toEqual(Object.keys(requests).sort());
    } finally {
      await engine.dispose();
    }
  });

  describe('open projects one way: a folder that is not a project is named as such by every request', () => {
    const { api, close } = testApi();
    afterAll(close);
    const notProject = tempDir();
    mkdirSync(join(notProject, 'images'));
    const missing = join(notProject, 'nowhere');

    it.each([
      ['audit.results', { project: notProject, runId: 1 }],
      ['audit.summary', { project: notProject, runId: 1 }],
      ['jobs.list', { project: notProject }],
      ['datasets.images', { project: notProject, dataset: 'd' }],
    ] as const)('%s', async (method, params) => {
      const error = await failure(api.call(method, params as never));
      expect(error.code).toBe('not-found');
      expect(error.message).toBe(`${notProject} is not a Lumen project (it has no project.db).`);
      expect(error.hint).toMatch(/Choose the folder that holds project.db/);
    });

    it('a folder that does not exist', async () => {
      const error = await failure(api.call('jobs.list', { project: missing }));
      expect(error.message).toBe(`There is no folder ${missing}.`);
    });
  });
});

describe('evaluate checks a given attribution in the contract', () => {
  const { api, close } = testApi();
  afterAll(close);

  it('dims that do not match the number of values are refused before any work', async () => {
    const error = await failure(
      api.call('evaluate', {
        modelId: 'no-model-needed',
        input: { kind: 'image', imageId: 'none' },
        method: 'gradient',
        attribution: { dims: [1, 1, 4, 4], data: new Float32Array(15) },
        metrics: [{ metric: 'deletion' }],
      } as never),
    );
    expect(error.code).toBe('invalid-request');
    expect(error.message).toMatch(/attribution.*dims do not match its number of values/);
  });
});
