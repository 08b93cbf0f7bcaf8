import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { demoLabels, demoProjectDir } from '../../../../src/main/engine/project/demo-project';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { testApi } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/tiny-models';

const home = tempDir('lumen-home-');
process.env['LUMEN_HOME'] = home;

const samples = JSON.parse(readFileSync(new URL('../../../../resources/samples/samples.json', import.meta.url), 'utf8')) as Array<{ id: string; fileName: string }>;

describe('projects.demo: the bundled samples as a labelled project', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  beforeAll(() => ({ api, close } = testApi()));
  afterAll(() => close());

  it('is made on first use in the home folder, with the samples copied in and labelled', async () => {
    const folder = join(home, 'demo-project');
    expect(demoProjectDir()).toBe(folder);
    expect(existsSync(folder)).toBe(false);
    const summary = await api.call('projects.demo', {});
    expect(summary).toMatchObject({ path: folder, name: 'demo-project', demo: true, runs: [] });
    expect(summary.datasets).toEqual([{ name: 'samples', images: samples.length, labels: ['espresso', 'military uniform', 'missile', 'tiger cat'], annotated: 0 }]);
    const store = ProjectStore.open(folder);
    const rows = store.db.prepare('SELECT d.root, i.path, i.label FROM images i JOIN datasets d ON d.id = i.dataset_id ORDER BY i.path').all() as Array<{ root: string; path: string; label: string | null }>;
    store.close();
    // The images live in the project, not in the installation.
    expect(new Set(rows.map((r) => r.root))).toEqual(new Set([join(folder, 'images')]));
    expect(rows.map((r) => [r.path, r.label])).toEqual(samples.map((s) => [s.fileName, demoLabels[s.id]]).sort((a, b) => a[0]!.localeCompare(b[0]!)));
    expect(rows.find((r) => r.path === 'astronaut.png')!.label).toBeNull();
    for (const s of samples) expect(statSync(join(folder, 'images', s.fileName)).size).toBe(statSync(new URL(`../../../../resources/samples/${s.fileName}`, import.meta.url)).size);
    // Not recorded among the recent projects (it has its own entry point).
    expect(await api.call('projects.recent', {})).toEqual([]);
  });

  it('is idempotent and repairs a missing image', async () => {
    const folder = demoProjectDir();
    const first = await api.call('projects.demo', {});
    const cat = join(folder, 'images', 'cat_chelsea.png');
    const mtime = statSync(cat).mtimeMs;
    expect(await api.call('projects.demo', {})).toEqual(first);
    expect(statSync(cat).mtimeMs).toBe(mtime);
    rmSync(cat);
    expect((await api.call('projects.demo', {})).datasets[0]!.images).toBe(samples.length);
    expect(existsSync(cat)).toBe(true);
    const store = ProjectStore.open(folder);
    expect(store.db.prepare('SELECT count(*) AS n FROM images').get()).toMatchObject({ n: samples.length });
    expect(store.db.prepare('SELECT count(*) AS n FROM datasets').get()).toMatchObject({ n: 1 });
    store.close();
    // Opened as a project, it is still the demo.
    expect((await api.call('projects.open', { path: folder })).demo).toBe(true);
  });

  it('asked for twice at once on first use, it is made once', async () => {
    process.env['LUMEN_HOME'] = tempDir('lumen-home-');
    try {
      const [a, b] = await Promise.all([api.call('projects.demo', {}), api.call('projects.demo', {})]);
      expect(a).toEqual(b);
      expect(a.datasets[0]!.images).toBe(samples.length);
    } finally {
      process.env['LUMEN_HOME'] = home;
    }
  });

  it('the labels are what the bundled MobileNetV2 predicts for the labelled samples', async () => {
    const modelId = (await api.call('models.open', {})).id;
    const labelled = samples.filter((s) => demoLabels[s.id] !== null);
    expect(labelled.length).toBe(4);
    for (const s of labelled) {
      const image = await api.call('images.open', { source: 'project', project: demoProjectDir(), dataset: 'samples', path: s.fileName });
      const { predictions } = await api.call('classify', { modelId, imageId: image.id, topK: 1 });
      expect([s.id, predictions[0]!.label]).toEqual([s.id, demoLabels[s.id]]);
    }
  });
});
