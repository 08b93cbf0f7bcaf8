import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { importFolder } from '../../../../src/main/engine/project/dataset-import';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { testApi } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/tiny-models';

/** An audit reads its images through the dataset's root: a row or a link that leads out of it is a failure of that image. */
describe('an audit reads only files inside its dataset', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  const project = join(tempDir(), 'study');
  const outside = tempDir('lumen-outside-');
  beforeAll(async () => {
    ({ api, close } = testApi());
    const images = tempDir('lumen-audit-images-');
    mkdirSync(join(images, 'x'));
    copyFileSync('resources/samples/rocket.jpg', join(images, 'x', 'rocket.jpg'));
    copyFileSync('resources/samples/coffee.png', join(outside, 'coffee.png'));
    const store = ProjectStore.open(project, { create: true });
    await importFolder(store, 'set', images);
    // Rows as a hand-edited database, or a link put in the folder after the import, would have them.
    const dataset = (store.db.prepare("SELECT id FROM datasets WHERE name = 'set'").get() as { id: number }).id;
    store.db.prepare("INSERT INTO images (dataset_id, path, sha256, bytes, width, height) VALUES (?, ?, 'x', 1, 1, 1)").run(dataset, `../${outside.split('/').pop()}/coffee.png`);
    store.db.prepare("INSERT INTO images (dataset_id, path, sha256, bytes, width, height) VALUES (?, 'x/linked.png', 'y', 1, 1, 1)").run(dataset);
    symlinkSync(join(outside, 'coffee.png'), join(images, 'x', 'linked.png'));
    store.close();
  });
  afterAll(() => close());

  it('the image inside is audited; the ones that lead out are failures that say so', async () => {
    const modelId = (await api.call('models.open', {})).id;
    const result = await api.call('audit', { project, dataset: 'set', modelId, method: 'gradient' });
    expect(result.computed).toBe(1);
    expect(result.failures.map((f) => f.error)).toEqual([expect.stringMatching(/is not inside the dataset "set"/), expect.stringMatching(/is not inside the dataset "set"/)]);
  });
});
