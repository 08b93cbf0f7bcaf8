import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEnginePort } from '../../../../src/main/engine-host/local-engine';
import { createApi, type LumenApi } from '../../../../src/shared/contract/api';
import { PortTransport } from '../../../../src/shared/contract/port-transport';
import { failure } from '../../../helpers/failure';
import { tempDir } from '../../../helpers/tiny-models';

process.env['LUMEN_HOME'] = tempDir('lumen-door-home-');

describe('dicom.export through the browser door', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let modelId: string;
  let imageId: string;
  beforeAll(async () => {
    const local = localEnginePort({ graphCacheDir: null, confinePaths: true });
    close = local.close;
    api = createApi(new PortTransport(local.port));
    modelId = (await api.call('models.open', {})).id;
    imageId = (await api.call('images.open', { source: 'sample', sampleId: 'coffee' })).id;
  }, 60_000);
  afterAll(() => close());

  it('refuses a folder the page may not write, and writes nothing there', async () => {
    const outDir = join(tempDir('lumen-elsewhere-'), 'dicom');
    const error = await failure(api.call('dicom.export', { modelId, imageId, method: 'gradient', outDir }));
    expect(error.message).toBe(`The DICOM export folder ${outDir} is outside the folders this page may write.`);
    expect(existsSync(outDir)).toBe(false);
  });

  it('without a folder, hands the files back for the page to save', async () => {
    const result = await api.call('dicom.export', { modelId, imageId, method: 'gradient' });
    expect(result.files).toHaveLength(1);
    const data = result.files[0]!.data!;
    expect(data.byteLength).toBe(result.files[0]!.bytes);
    expect(String.fromCharCode(...data.subarray(128, 132))).toBe('DICM');
    expect(result.files[0]!.path).toBeUndefined();
  }, 120_000);
});
