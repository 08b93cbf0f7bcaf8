import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { importFolder } from '../../../../src/main/engine/project/dataset-import';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { testApi } from '../../../helpers/engine';
import { steepModel } from '../../../helpers/steep-model';
import { tempDir, writeModel } from '../../../helpers/tiny-models';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');

describe("the report carries Integrated Gradients' completeness warning", () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let project: string;
  let modelId: string;
  beforeAll(async () => {
    ({ api, close } = testApi());
    const path = writeModel(tempDir(), 'steep.onnx', steepModel(), { 'steep.card.json': JSON.stringify({ preprocess: { resize: { mode: 'stretch' }, mean: [0], std: [1], scale: 1 } }) });
    modelId = (await api.call('models.open', { path })).id;
    const data = tempDir();
    mkdirSync(join(data, 'a'));
    writeFileSync(join(data, 'a', 'white.png'), await sharp({ create: { width: 8, height: 8, channels: 3, background: '#ffffff' } }).toColourspace('b-w').png().toBuffer());
    project = join(tempDir(), 'p');
    const store = ProjectStore.open(project, { create: true });
    try {
      await importFolder(store, 'd', data);
    } finally {
      store.close();
    }
  });
  afterAll(() => close());

  const render = async (params: Record<string, unknown>): Promise<string> =>
    (await api.call('report.render', { spec: { project, modelId, title: 't', images: [{ dataset: 'd', path: 'a/white.png', target: 0 }], methods: [{ method: 'integrated-gradients', params }] }, format: 'html' })).html!;

  it('with a few steps: the warning and its hint are in the image’s notes', async () => {
    const html = await render({ steps: 4, stepRule: 'riemann-left' });
    expect(html).toMatch(/<li>Integrated Gradients: The attributions miss f\(x\) − f\(baseline\) by [\d.]+ % of it \(completeness error [\d.]+, above the 5 % tolerance\)[^<]*use more steps \(4 now; try 16\) or the gauss-legendre step rule\.<\/li>/);
    // The caption puts the error on its scale, flagged, with the same hint as the inspector and compare.
    expect(html).toMatch(/<span class="warn"> Completeness error: [\d.]+ % of f\(x\) − f\(baseline\) \(error -?[\d.e-]+ of -?[\d.e-]+\) — raise the steps: use more steps \(4 now; try 16\) or the gauss-legendre step rule\.<\/span>/);
  });

  it('with many steps: no warning', async () => {
    const html = await render({ steps: 512 });
    expect(html).not.toContain('The attributions miss');
    // Still on its scale, quietly.
    expect(html).toMatch(/<span class="muted"> Completeness error: [\d.]+ % of f\(x\) − f\(baseline\) \(error -?[\d.e-]+ of -?[\d.e-]+\)\.<\/span>/);
  });
});
