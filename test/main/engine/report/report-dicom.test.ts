import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { testApi } from '../../../helpers/engine';
import { steepModel } from '../../../helpers/steep-model';
import { tempDir, writeModel } from '../../../helpers/tiny-models';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');

const radiographs = join(import.meta.dirname, '../../../fixtures/dicom/radiograph');

describe('a report of a DICOM image', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let project: string;
  let modelId: string;
  beforeAll(async () => {
    ({ api, close } = testApi());
    const path = writeModel(tempDir(), 'steep.onnx', steepModel(), { 'steep.card.json': JSON.stringify({ preprocess: { resize: { mode: 'stretch' }, mean: [0], std: [1], scale: 1 } }) });
    modelId = (await api.call('models.open', { path })).id;
    const data = tempDir();
    mkdirSync(join(data, 'series'));
    copyFileSync(join(radiographs, 'radiograph_mono1.dcm'), join(data, 'series', 'IM1.dcm'));
    copyFileSync(join(radiographs, 'radiograph_j2k.dcm'), join(data, 'series', 'IM2.dcm'));
    project = join(tempDir(), 'p');
    await api.call('projects.open', { path: project, create: true });
    await api.call('datasets.import', { project, dataset: 'd', folder: data });
  });
  afterAll(() => close());

  it('renders the decoded images and their overlays, with no patient name or ID from the header', async () => {
    const result = await api.call('report.render', {
      spec: { project, modelId, title: 'DICOM', images: [{ dataset: 'd', path: 'series/IM1.dcm', target: 0 }, { dataset: 'd', path: 'series/IM2.dcm', target: 0 }], methods: [{ method: 'gradient', params: {} }] },
      format: 'html',
    });
    const html = result.html!;
    expect(html.match(/data:image\/png;base64,/g)?.length ?? 0).toBeGreaterThanOrEqual(4);
    expect(html).not.toContain('LUMEN^RADIOGRAPH');
    expect(html).not.toContain('LUMEN-RG');
  });

  it('with the file facts asked for: the decoded format and size, still nothing from the patient', async () => {
    const result = await api.call('report.render', {
      spec: { project, modelId, title: 'DICOM', includeMetadata: true, images: [{ dataset: 'd', path: 'series/IM1.dcm', target: 0 }], methods: [{ method: 'gradient', params: {} }] },
      format: 'html',
    });
    const html = result.html!;
    expect(html).toMatch(/dicom/i);
    expect(html).toMatch(/256\s*(x|×)\s*256/);
    expect(html).not.toContain('LUMEN^RADIOGRAPH');
  });
});
