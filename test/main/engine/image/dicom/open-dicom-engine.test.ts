import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../../src/shared/contract/api';
import { inspectImage } from '../../../../../src/main/engine/image/image-source';
import { testApi } from '../../../../helpers/engine';
import { encodePng16 } from '../../../../helpers/png16';

const root = join(import.meta.dirname, '../../../../fixtures/dicom');

describe('the engine opens DICOM through images.open and classifies it with the bundled model', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let modelId: string;

  beforeAll(async () => {
    ({ api, close } = testApi());
    modelId = (await api.call('models.open', {})).id;
  });
  afterAll(() => close());

  it('a JPEG 2000 radiograph by path: the same scores as a 16-bit PNG of its rendered pixels', async () => {
    const path = join(root, 'radiograph/radiograph_j2k.dcm');
    const image = await api.call('images.open', { source: 'file', path });
    expect(image).toMatchObject({ name: 'radiograph_j2k.dcm', format: 'dicom', width: 256, height: 256, channels: 1, bitDepth: 16 });
    expect(image.preview.width).toBe(256);
    const result = await api.call('classify', { modelId, imageId: image.id, topK: 5 });
    expect(result.predictions).toHaveLength(5);
    const total = result.predictions.reduce((sum, p) => sum + p.probability, 0);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(1.0001);

    const rendered = (await inspectImage(new Uint8Array(readFileSync(path)), 'x.dcm')).dicom!.pixels;
    const twin = await api.call('images.open', { source: 'bytes', name: 'twin.png', data: encodePng16(256, 256, 1, rendered) });
    const twinResult = await api.call('classify', { modelId, imageId: twin.id, topK: 5 });
    expect(twinResult.predictions.map((p) => p.index)).toEqual(result.predictions.map((p) => p.index));
    for (const [i, p] of result.predictions.entries()) expect(p.probability).toBeCloseTo(twinResult.predictions[i]!.probability, 6);
  });

  it('a multi-frame file opens on its first frame, and the summary says so', async () => {
    const image = await api.call('images.open', { source: 'file', path: join(root, 'pydicom/rtdose.dcm') });
    expect(image.notes).toEqual(['"rtdose.dcm" holds 15 frames (a volume or a series of images); Lumen opened frame 1. Choose another frame to explain it.']);
    const single = await api.call('images.open', { source: 'file', path: join(root, 'pydicom/CT_small.dcm') });
    expect(single.notes).toBeUndefined();
  });

  it('a colour JPEG DICOM given as bytes, and a structured report refused with its reason', async () => {
    const data = new Uint8Array(readFileSync(join(root, 'pydicom/SC_rgb_jpeg_dcmtk.dcm')));
    const image = await api.call('images.open', { source: 'bytes', name: 'colour.dcm', data });
    expect([image.format, image.channels]).toEqual(['dicom', 3]);
    expect((await api.call('classify', { modelId, imageId: image.id, topK: 1 })).predictions).toHaveLength(1);
    const report = new Uint8Array(readFileSync(join(root, 'pydicom/test-SR.dcm')));
    await expect(api.call('images.open', { source: 'bytes', name: 'sr.dcm', data: report })).rejects.toMatchObject({
      code: 'invalid-image',
      message: '"sr.dcm" is a DICOM Structured Report with no pixel data: there is no image to open.',
    });
  });
});
