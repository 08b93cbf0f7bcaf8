import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { LumenError } from '../../../../../src/shared/errors';
import { applyWindow } from '../../../../../src/main/engine/image/dicom/apply-window';
import { decodeDicomFrame } from '../../../../../src/main/engine/image/dicom/decode-dicom-frame';
import type { DicomFacts, DicomFrame } from '../../../../../src/main/engine/image/dicom/dicom-types';
import { readNpyFile, toFloat32 } from '../../../../../src/main/engine/io/npy';

const root = join(import.meta.dirname, '../../../../fixtures/dicom');
const read = (path: string): Uint8Array => new Uint8Array(readFileSync(join(root, path)));

/** A grey frame holding the given modality values (facts only as far as windowing reads them). */
function frameOf(values: number[], photometric = 'MONOCHROME2'): DicomFrame {
  const facts = { photometric, windows: [], voiLutFunction: 'LINEAR', hasVoiLutTable: false } as unknown as DicomFacts;
  return { facts, frame: 0, width: values.length, height: 1, channels: 1, values: Float32Array.from(values), min: Math.min(...values), max: Math.max(...values) };
}

describe('applyWindow: PS3.3 C.11.2.1.2 worked by hand', () => {
  test('LINEAR: (x - (c - 0.5)) / (w - 1) + 0.5, clipped; a width of 1 is a threshold at c - 0.5', () => {
    const out = applyWindow(frameOf([0, 49, 50, 51, 100]), { center: 50, width: 11 });
    // c - 0.5 - (w - 1) / 2 = 44.5 -> black; > 54.5 -> white; 50 -> ((50 - 49.5) / 10 + 0.5) * 65535
    expect(Array.from(out)).toEqual([0, Math.round(0.45 * 65535), Math.round(0.55 * 65535), Math.round(0.65 * 65535), 65535]);
    expect(Array.from(applyWindow(frameOf([49, 49.5, 50]), { center: 50, width: 1 }))).toEqual([0, 0, 65535]);
  });

  test('LINEAR_EXACT and SIGMOID', () => {
    expect(Array.from(applyWindow(frameOf([0, 50, 100, 200, 201]), { center: 100, width: 200 }, 'LINEAR_EXACT'))).toEqual([0, 16384, 32768, 65535, 65535]);
    const sigmoid = applyWindow(frameOf([100, 125, 75]), { center: 100, width: 100 }, 'SIGMOID');
    expect(Array.from(sigmoid)).toEqual([32768, Math.round(65535 / (1 + Math.exp(-1))), Math.round(65535 / (1 + Math.exp(1)))]);
  });

  test('full range maps the smallest value to black and the largest to white; MONOCHROME1 is inverted', () => {
    expect(Array.from(applyWindow(frameOf([-1000, 0, 1000]), 'full-range'))).toEqual([0, 32768, 65535]);
    expect(Array.from(applyWindow(frameOf([-1000, 0, 1000], 'MONOCHROME1'), 'file'))).toEqual([65535, 32767, 0]);
  });

  test('a window must have a positive width', () => {
    expect(() => applyWindow(frameOf([1, 2]), { center: 1, width: 0 })).toThrow(LumenError);
  });
});

describe('applyWindow on files', () => {
  test('MONOCHROME1 without window tags is inverted over its full range: it displays as its MONOCHROME2 twin', async () => {
    const mono1 = await decodeDicomFrame(read('radiograph/radiograph_mono1.dcm'), 'mono1');
    const mono2 = await decodeDicomFrame(read('radiograph/radiograph_mono2.dcm'), 'mono2');
    expect(mono1.facts.windows).toEqual([]);
    const shown1 = applyWindow(mono1, 'file');
    const shown2 = applyWindow(mono2, 'full-range');
    expect(shown1).toEqual(shown2);
    // Bright stays bright: the brightest stored MONOCHROME2 pixel is white in both.
    const brightest = mono2.values.indexOf(mono2.max);
    expect(shown1[brightest]).toBe(65535);
  });

  test('the file picks its first preset; another preset or a table index can be asked for', async () => {
    const frame = await decodeDicomFrame(read('radiograph/radiograph_mono2.dcm'), 'r');
    expect(applyWindow(frame, 'file')).toEqual(applyWindow(frame, frame.facts.windows[0]!));
    expect(applyWindow(frame, frame.facts.windows[1]!)).not.toEqual(applyWindow(frame, 'file'));
  });

  test('a VOI LUT table matches pydicom, a broken one is refused with its reason', async () => {
    const frame = await decodeDicomFrame(read('radiograph/mr_voi_lut.dcm'), 'lut');
    const expected = toFloat32(await readNpyFile(join(root, 'radiograph/mr_voi_lut.voi.npy')));
    const ours = applyWindow(frame, 'file');
    let worst = 0;
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i]! - expected[i]!));
    expect(worst).toBeLessThanOrEqual(0.5);
    expect(applyWindow(frame, { lutIndex: 0 })).toEqual(ours);
    const broken = await decodeDicomFrame(read('radiograph/mr_voi_lut_broken.dcm'), 'broken');
    expect(() => applyWindow(broken, 'file')).toThrow(/VOI LUT cannot be used: VOI LUT 1 has 200 bytes of LUT Data for 2048 entries/);
    expect(applyWindow(broken, 'full-range').length).toBe(64 * 64);
  });
});
