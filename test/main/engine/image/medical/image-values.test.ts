import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNpyFile, toFloat32 } from '../../../../../src/main/engine/io/npy';
import type { LumenApi } from '../../../../../src/shared/contract/api';
import { testApi } from '../../../../helpers/engine';

const fixtures = join(__dirname, '../../../../fixtures');
let api: LumenApi;
let close: () => Promise<void>;
beforeAll(() => {
  ({ api, close } = testApi());
});
afterAll(() => close());

const open = async (path: string): Promise<string> => (await api.call('images.open', { source: 'file', path: join(fixtures, path) })).id;

describe('images.values: what the inspector windows', () => {
  it("a CT slice's Hounsfield units (pydicom's modality values), its spacing and its lack of windows", async () => {
    const values = await api.call('images.values', { imageId: await open('medical/CT_small.dcm') });
    const reference = await readNpyFile(join(fixtures, 'medical/CT_small.modality.npy'));
    expect([values.width, values.height, values.frameWidth, values.frames, values.frame]).toEqual([128, 128, 128, 1, 0]);
    expect(Array.from(values.values)).toEqual(Array.from(toFloat32(reference)));
    expect(values).toMatchObject({ photometric: 'MONOCHROME2', modality: 'CT', windows: [], voiLutFunction: 'LINEAR', spacing: { rowMm: 0.661468, columnMm: 0.661468, source: 'PixelSpacing' } });
    expect([values.min, values.max]).toEqual([Math.min(...values.values), Math.max(...values.values)]);
  });

  it("a radiograph's window and its Imager Pixel Spacing", async () => {
    const values = await api.call('images.values', { imageId: await open('dicom/radiograph/radiograph_mono2.dcm') });
    expect(values.windows).toEqual([{ center: 2048, width: 4096, explanation: 'FULL' }, { center: 1500, width: 1200, explanation: 'SOFT' }]);
    expect(values.spacing).toEqual({ rowMm: 0.7, columnMm: 0.7, source: 'ImagerPixelSpacing' });
  });

  it('says when the file shows itself through a VOI LUT table rather than a window', async () => {
    const lut = await api.call('images.values', { imageId: await open('dicom/radiograph/mr_voi_lut.dcm') });
    expect([lut.windows, lut.hasVoiLut]).toEqual([[], true]);
    const ct = await api.call('images.values', { imageId: await open('medical/CT_small.dcm') });
    expect(ct.hasVoiLut).toBe(false);
  });

  it('another frame of a multi-frame image, decoded for display', async () => {
    const imageId = await open('dicom/pydicom/rtdose.dcm');
    const first = await api.call('images.values', { imageId });
    const second = await api.call('images.values', { imageId, frame: 1 });
    expect([first.frames, first.frame, second.frame]).toEqual([15, 0, 1]);
    const reference = toFloat32(await readNpyFile(join(fixtures, 'dicom/pydicom/rtdose.frame1.modality.npy')));
    second.values.forEach((v, i) => expect(v).toBeCloseTo(reference[i]!, 3));
    expect(Array.from(second.values)).not.toEqual(Array.from(first.values));
  });

  it('a PNG has no modality values, and says so', async () => {
    const png = new Uint8Array(await readFile(join(fixtures, 'medical/gray8.png')));
    const { id } = await api.call('images.open', { source: 'bytes', name: 'chest.png', data: png });
    await expect(api.call('images.values', { imageId: id })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: '"chest.png" is a PNG image; only DICOM images have modality values to window.',
    });
  });
});
