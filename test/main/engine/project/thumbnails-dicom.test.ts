import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import type { Thumbnail } from '../../../../src/shared/contract/project';
import { importDicomFolder } from '../../../../src/main/engine/project/dataset-import';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { testApi } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/tiny-models';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');
const folder = join(__dirname, '../../../fixtures/dicom/folder');

function image(t: Thumbnail): Extract<Thumbnail, { data: Uint8Array }> {
  if ('error' in t) throw new Error(`expected a thumbnail of ${t.path}, got: ${t.error}`);
  return t;
}

async function gray(png: Uint8Array | string, width: number, height: number): Promise<Uint8Array> {
  return new Uint8Array(await sharp(png).resize(width, height, { fit: 'fill' }).greyscale().raw().toBuffer());
}

describe('thumbnails of a DICOM dataset', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  const project = join(tempDir(), 'p');
  beforeAll(async () => {
    const store = ProjectStore.open(project, { create: true });
    await importDicomFolder(store, 'dx', folder);
    store.close();
    ({ api, close } = testApi());
  });
  afterAll(() => close());

  it('are the first frame through the file window, as dcmtk renders it; a multi-frame RGB file too', async () => {
    const [gray48, rgb] = await api.call('datasets.thumbnails', { project, dataset: 'dx', paths: ['P1/study1/series1/IM1.dcm', 'P2/other/two-frames.dcm'], size: 48 });
    const thumb = image(gray48!);
    // 48 x 40: at its own size, so no resampling stands between the two renderings compared.
    expect([thumb.width, thumb.height]).toEqual([48, 40]);
    // Independent reference: dcmtk's dcmj2pnm with a min-max window (what a file without window
    // tags gets); only JPEG decoders' rounding may differ.
    const reference = join(tempDir(), 'im1.png');
    execFileSync('dcmj2pnm', ['+Wm', '+on', join(folder, 'P1/study1/series1/IM1.dcm'), reference]);
    const ours = await gray(thumb.data, 48, 40);
    const theirs = await gray(reference, 48, 40);
    let worst = 0;
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i]! - theirs[i]!));
    expect(worst).toBeLessThanOrEqual(2);
    // Not a flat image: the reference has contrast and so does ours.
    expect(Math.max(...ours) - Math.min(...ours)).toBeGreaterThan(100);
    // The two-frame RGB file (100 x 100) shows its first frame.
    expect([image(rgb!).width, image(rgb!).height]).toEqual([48, 48]);
  });

  it('a file without pixel data in the same request is an error entry of its own', async () => {
    // The SR is not in the dataset (the import listed it); asked for anyway, it says why there is no picture.
    const [ok, bad] = await api.call('datasets.thumbnails', { project, dataset: 'dx', paths: ['P1/study1/series2/IM1', 'P2/other/report.dcm'], size: 32 });
    expect(image(ok!).width).toBe(32);
    expect(bad).toEqual({ path: 'P2/other/report.dcm', error: expect.stringMatching(/Structured Report with no pixel data/) });
  });
});
