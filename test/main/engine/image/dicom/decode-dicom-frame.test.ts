import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readNpyFile, toFloat32 } from '../../../../../src/main/engine/io/npy';
import { applyWindow } from '../../../../../src/main/engine/image/dicom/apply-window';
import { decodeDicomFrame } from '../../../../../src/main/engine/image/dicom/decode-dicom-frame';
import type { DicomFrame } from '../../../../../src/main/engine/image/dicom/dicom-types';

const root = join(import.meta.dirname, '../../../../fixtures/dicom');

interface Case {
  reference: boolean;
  frames?: number;
  channels?: number;
  stride?: number;
  voi?: boolean;
}
const cases = JSON.parse(readFileSync(join(root, 'reader-cases.json'), 'utf8')) as Record<'pydicom' | 'radiograph', Record<string, Case>>;

/** Lossy transfer syntaxes: JPEG baseline/extended, JPEG-LS near-lossless, JPEG 2000 (irreversible). */
const lossy = new Set(['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51', '1.2.840.10008.1.2.4.81', '1.2.840.10008.1.2.4.91']);

/** The frame's values (or windowed output) at every `stride`-th row and column, as the reference keeps them. */
function strided(frame: DicomFrame, data: ArrayLike<number>, stride: number): Float32Array {
  const out: number[] = [];
  for (let y = 0; y < frame.height; y += stride) for (let x = 0; x < frame.width; x += stride) for (let c = 0; c < frame.channels; c++) out.push(data[(y * frame.width + x) * frame.channels + c]!);
  return Float32Array.from(out);
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

const referenced = Object.entries(cases).flatMap(([group, files]) =>
  Object.entries(files)
    .filter(([, c]) => c.reference)
    .map(([name, c]) => ({ group, name, ...c })),
);

describe('decodeDicomFrame against pydicom (compressed files decompressed by GDCM)', () => {
  test.each(referenced)('$group/$name', async ({ group, name, stride, frames, voi }) => {
    const path = join(root, group, name);
    const base = path.replace(/\.dcm$/, '');
    const bytes = new Uint8Array(readFileSync(path));
    const frame = await decodeDicomFrame(bytes, name);
    const reference = toFloat32(await readNpyFile(`${base}.modality.npy`));
    const ours = strided(frame, frame.values, stride!);
    const isLossy = lossy.has(frame.facts.transferSyntaxUid);
    const difference = maxDifference(ours, reference);
    // Lossless: identical. Lossy: two decoders (libjpeg-turbo vs GDCM's libjpeg, OpenJPEG versions) may round differently.
    if (isLossy) expect(difference).toBeLessThanOrEqual(frame.channels === 3 ? 3 : 2);
    else expect(difference).toBe(0);
    if (voi) {
      const windowed = strided(frame, applyWindow(frame, 'file'), stride!);
      const expected = toFloat32(await readNpyFile(`${base}.voi.npy`));
      // Rounding to 16 bits, plus the lossy decoders' differences scaled by the window's gain.
      const gain = frame.facts.windows[0] ? 65535 / frame.facts.windows[0].width : 65535 / Math.max(1, frame.max - frame.min);
      expect(maxDifference(windowed, expected)).toBeLessThanOrEqual(isLossy ? 2 * gain + 1 : 1);
    }
    if ((frames ?? 1) > 1) {
      const second = await decodeDicomFrame(bytes, name, 1);
      const reference1 = toFloat32(await readNpyFile(`${base}.frame1.modality.npy`));
      expect(maxDifference(strided(second, second.values, stride!), reference1)).toBe(0);
    }
  });
});
