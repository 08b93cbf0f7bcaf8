import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyWindow } from '../../../../../src/main/engine/image/dicom/apply-window';
import type { DicomFacts, DicomFrame } from '../../../../../src/main/engine/image/dicom/dicom-types';
import { inspectImage, type ImageSource } from '../../../../../src/main/engine/image/image-source';
import { preprocess } from '../../../../../src/main/engine/image/preprocess';
import type { Pixels } from '../../../../../src/main/engine/image/resample';
import { toTensor } from '../../../../../src/main/engine/image/to-tensor';
import { planGeometry } from '../../../../../src/shared/image-geometry';
import { LumenError } from '../../../../../src/shared/errors';
import { ModelCard } from '../../../../../src/shared/model-card';

const png = join(__dirname, '../../../../fixtures/medical/gray8.png');

function card(preprocess: Record<string, unknown> = {}, input: Record<string, unknown> = {}, size = 4): ModelCard {
  return ModelCard.parse({
    name: 't',
    input: { name: 'x', layout: 'NCHW', height: size, width: size, color: 'GRAY', ...input },
    preprocess: { resize: { mode: 'stretch' }, interpolation: 'nearest', scale: 1, mean: [0], std: [1], ...preprocess },
    output: { name: 'y', kind: 'logits', labels: [] },
  });
}

/** An opened 2 x 2 DICOM image (values 0, 10, 20, ...) with the given photometric interpretation. */
function dicom(photometric: string, channels: 1 | 3 = 1): ImageSource {
  const facts = { photometric, windows: [], voiLutFunction: 'LINEAR', bitsAllocated: 8, hasVoiLutTable: false } as unknown as DicomFacts;
  const values = new Float32Array(4 * channels).map((_, i) => i * 10);
  const frame: DicomFrame = { facts, frame: 0, width: 2, height: 2, channels, values, min: 0, max: values[values.length - 1]!, sampleMax: 255 };
  const image = { facts, frame, window: 'file' as const, pixels: applyWindow(frame, 'file'), notes: [] };
  return { name: channels === 3 ? 'us.dcm' : 'cr.dcm', bytes: new Uint8Array(), format: 'dicom', width: 2, height: 2, channels, bitDepth: 16, hasAlpha: false, dicom: image };
}

async function failure(run: () => Promise<unknown>): Promise<LumenError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof LumenError) return error;
    throw error;
  }
  throw new Error('expected a LumenError');
}

describe('a card window meets an image without modality values', () => {
  it('a preset in HU on a PNG is refused, saying why and what to do', async () => {
    const source = await inspectImage(new Uint8Array(await readFile(png)), 'chest.png');
    const error = await failure(() => preprocess(source, card({ window: { source: 'preset', name: 'lung' } })));
    expect(error.code).toBe('invalid-image');
    expect(error.message).toBe('The model card windows in modality units (preset "lung" (centre -600 HU, width 1500 HU)), but "chest.png" is a PNG image, which has no modality values (no Hounsfield units).');
    expect(error.hint).toContain('{"source": "file"}');
  });

  it('a fixed window on a PNG is refused too; the file window leaves the PNG as it is', async () => {
    const source = await inspectImage(new Uint8Array(await readFile(png)), 'chest.png');
    await expect(preprocess(source, card({ window: { source: 'fixed', center: 128, width: 256 } }))).rejects.toThrow(/no modality values/);
    const plain = await preprocess(source, card({}, {}, 8));
    const filed = await preprocess(source, card({ window: { source: 'file' } }, {}, 8));
    expect(Array.from(filed.data)).toEqual(Array.from(plain.data));
  });

  it('a preset on a colour DICOM is refused', async () => {
    const c = card({ window: { source: 'preset', name: 'bone' } }, { color: 'RGB' }, 2);
    const error = await failure(() => preprocess(dicom('RGB', 3), c));
    expect(error.message).toContain('"us.dcm" is a colour DICOM image (RGB)');
  });
});

describe('acceptsPhotometric', () => {
  it('refuses a photometric interpretation the card does not list, naming both', async () => {
    const c = card({}, { acceptsPhotometric: ['MONOCHROME2'] }, 2);
    const error = await failure(() => preprocess(dicom('MONOCHROME1'), c));
    expect(error.message).toBe('"cr.dcm" is a MONOCHROME1 DICOM image; the model card accepts MONOCHROME2 only.');
    expect(error.hint).toContain('add MONOCHROME1 to input.acceptsPhotometric');
  });

  it('accepts a listed one, and any when the card lists none', async () => {
    await expect(preprocess(dicom('MONOCHROME1'), card({}, { acceptsPhotometric: ['MONOCHROME1', 'MONOCHROME2'] }, 2))).resolves.toBeDefined();
    await expect(preprocess(dicom('MONOCHROME1'), card({}, {}, 2))).resolves.toBeDefined();
  });
});

describe('z-score under letterboxing', () => {
  it('takes its statistics from the image only; the padding goes through the same steps', () => {
    // A 2 x 1 image (values 0 and 255) letterboxed into 2 x 2: the bottom row is padding (fill 0).
    const pixels: Pixels = { width: 2, height: 1, channels: 1, bitDepth: 8, data: new Uint8Array([0, 255]) };
    const c = ModelCard.parse({ ...card({ zscore: true, resize: { mode: 'letterbox', fill: 0 } }, {}, 2) });
    const plan = planGeometry({ width: 2, height: 1 }, { width: 2, height: 2 }, c.preprocess.resize);
    expect(plan.offset).toEqual({ left: 0, top: 0 });
    const tensor = Array.from(toTensor(pixels, c, plan));
    // Image mean 0.5, population std 0.5: the image is -1, 1; the padding (u = 0) is -1 too.
    expect(tensor).toEqual([-1, 1, -1, -1]);
  });

  it('a constant image gives zeros, not NaN', () => {
    const pixels: Pixels = { width: 2, height: 2, channels: 1, bitDepth: 8, data: new Uint8Array([7, 7, 7, 7]) };
    const c = card({ zscore: true }, {}, 2);
    expect(Array.from(toTensor(pixels, c, planGeometry(pixels, { width: 2, height: 2 }, c.preprocess.resize)))).toEqual([0, 0, 0, 0]);
  });
});

describe('the window a DICOM is shown with never reaches the model', () => {
  const ct = join(__dirname, '../../../../fixtures/medical/CT_small.dcm');
  it("opened with the lung window, it still feeds the card's window (the file's when the card sets none)", async () => {
    const bytes = new Uint8Array(await readFile(ct));
    const plain = await inspectImage(bytes, 'ct.dcm');
    const shownAsLung = await inspectImage(bytes, 'ct.dcm', undefined, { window: { center: -600, width: 1500 } });
    const noWindow = card({}, {}, 128);
    expect(Array.from((await preprocess(shownAsLung, noWindow)).data)).toEqual(Array.from((await preprocess(plain, noWindow)).data));
    const bone = card({ window: { source: 'preset', name: 'bone' } }, {}, 128);
    expect(Array.from((await preprocess(shownAsLung, bone)).data)).toEqual(Array.from((await preprocess(plain, bone)).data));
    expect(Array.from((await preprocess(plain, bone)).data)).not.toEqual(Array.from((await preprocess(plain, noWindow)).data));
  });
});
