import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { testApi } from '../../../helpers/engine';
import { failure } from '../../../helpers/failure';
import { tempDir } from '../../../helpers/tiny-models';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');

const twoFrames = join(import.meta.dirname, '../../../fixtures/dicom/folder/P2/other/two-frames.dcm');
const png = join(import.meta.dirname, '../../../../resources/samples/coffee.png');

describe('images.open chooses the frame of a multi-frame DICOM file that the model sees', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  beforeAll(() => ({ api, close } = testApi()));
  afterAll(() => close());

  it('opens each frame as its own image, says which one, and classifies what that frame holds', async () => {
    const first = await api.call('images.open', { source: 'file', path: twoFrames });
    const second = await api.call('images.open', { source: 'file', path: twoFrames, frame: 1 });
    expect(first.frame).toEqual({ index: 0, count: 2 });
    expect(second.frame).toEqual({ index: 1, count: 2 });
    expect(second.id).toBe(`${first.id}#frame1`);
    expect((await api.call('images.open', { source: 'file', path: twoFrames, frame: 0 })).id).toBe(first.id);
    // The two frames differ, so their previews do.
    expect(Buffer.compare(Buffer.from(first.preview.data), Buffer.from(second.preview.data))).not.toBe(0);
    const model = await api.call('models.open', {});
    const a = await api.call('classify', { modelId: model.id, imageId: first.id, topK: 3 });
    const b = await api.call('classify', { modelId: model.id, imageId: second.id, topK: 3 });
    expect(a.predictions.map((p) => p.probability)).not.toEqual(b.predictions.map((p) => p.probability));
  });

  it('refuses a frame the file does not have, and a frame of a PNG, saying what to do', async () => {
    const missing = await failure(api.call('images.open', { source: 'file', path: twoFrames, frame: 5 }));
    expect(missing.message).toMatch(/frame/i);
    const single = await failure(api.call('images.open', { source: 'file', path: png, frame: 1 }));
    expect(single.message).toMatch(/PNG image with one frame; frame 2 does not exist/);
    expect(single.hint).toMatch(/multi-frame DICOM/);
  });
});
