import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import type { ProjectChanged } from '../../../../src/shared/contract/project-changed';
import { testApi } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/tiny-models';

/** The engine tells its clients when a project's data changed: after an audit's results, its end, and annotations. */
describe('project.changed events from the engine', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let project: string;
  const events: ProjectChanged[] = [];

  beforeAll(async () => {
    ({ api, close } = testApi());
    const root = tempDir('lumen-changed-');
    for (const [label, file] of [['espresso', 'coffee.png'], ['missile', 'rocket.jpg']] as const) {
      mkdirSync(join(root, 'images', label), { recursive: true });
      copyFileSync(join('resources/samples', file), join(root, 'images', label, file));
    }
    project = (await api.call('projects.open', { path: join(root, 'study'), create: true })).path;
    await api.call('datasets.import', { project, dataset: 'photos', folder: join(root, 'images') });
    api.on('project.changed', (change) => events.push(change));
  });
  afterAll(() => close());

  it('follows an audit: its run while it runs, then its end', async () => {
    const model = await api.call('models.open', {});
    const result = await api.call('audit', { project, dataset: 'photos', modelId: model.id, method: 'grad-cam' });
    const audit = events.filter((e) => e.what === 'audit');
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(audit[0]).toEqual({ project, what: 'audit', dataset: 'photos', running: true, runId: result.runId });
    expect(audit.at(-1)).toEqual({ project, what: 'audit', dataset: 'photos', running: false, runId: result.runId });
    // When the last event arrives, the results are in the project: the browser's columns are full.
    const page = await api.call('datasets.images', { project, dataset: 'photos', runId: result.runId, offset: 0, limit: 10 });
    expect(page.rows.every((r) => r.predicted !== null)).toBe(true);
  });

  it('says when annotations were saved or deleted', async () => {
    events.length = 0;
    const note = await api.call('annotations.save', { project, dataset: 'photos', path: 'espresso/coffee.png', shape: { kind: 'box', x0: 1, y0: 1, x1: 20, y1: 20 } });
    expect(events).toEqual([{ project, what: 'annotations', dataset: 'photos' }]);
    await api.call('annotations.delete', { project, id: note.id });
    expect(events.at(-1)).toEqual({ project, what: 'annotations' });
    // Deleting what is not there changes nothing, and says nothing.
    await api.call('annotations.delete', { project, id: note.id });
    expect(events).toHaveLength(2);
  });
});
