import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { importFolder, importVoc } from '../../../../src/main/engine/project/dataset-import';
import { writeFileSync } from 'node:fs';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import Database from 'libsql';
import { testApi } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/tiny-models';

describe('audit jobs queue', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  const project = join(tempDir(), 'study');
  beforeAll(async () => {
    ({ api, close } = testApi());
    const store = ProjectStore.open(project, { create: true });
    await importFolder(store, 'samples', 'resources/samples');
    store.close();
  });
  afterAll(() => close());

  it('two audits asked at once run one after the other on the same execution provider', async () => {
    const modelId = (await api.call('models.open', {})).id;
    const [a, b] = await Promise.all([
      api.call('audit', { project, dataset: 'samples', modelId, method: 'grad-cam', limit: 3 }),
      api.call('audit', { project, dataset: 'samples', modelId, method: 'gradient', limit: 3 }),
    ]);
    expect([a.computed, b.computed]).toEqual([3, 3]);
    const db = new Database(join(project, 'project.db'), { readonly: true });
    const jobs = db.prepare('SELECT id, state, created_at, updated_at FROM jobs ORDER BY id').all() as Array<{ state: string; created_at: string; updated_at: string }>;
    db.close();
    expect(jobs.map((j) => j.state)).toEqual(['done', 'done']);
    // The second job was created only when the first had finished.
    expect(jobs[1]!.created_at >= jobs[0]!.updated_at).toBe(true);
  });

  it('regions of interest in image pixels become mass shares and flags', async () => {
    const voc = tempDir();
    // A region over the whole of coffee.png (600 x 400, VOC's 1-based inclusive pixels).
    writeFileSync(join(voc, 'coffee.xml'), '<annotation><filename>coffee.png</filename><object><name>marker</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>600</xmax><ymax>400</ymax></bndbox></object></annotation>');
    const store = ProjectStore.open(project);
    await importVoc(store, 'samples', voc, 'resources/samples', 'region');
    store.close();
    const modelId = (await api.call('models.open', {})).id;
    const result = await api.call('audit', { project, dataset: 'samples', modelId, method: 'grad-cam', limit: 4 });
    const page = await api.call('audit.results', { project, runId: result.runId, flagged: true });
    const coffee = page.rows.find((r) => r.path === 'coffee.png')!;
    expect(coffee.metrics['regionMass']).toBeCloseTo(1, 6);
    expect(coffee.flags).toContain('100% of the attribution lies on a marked region of interest');
  });
});
