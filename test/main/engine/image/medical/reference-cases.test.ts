import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNpyFile, toFloat32 } from '../../../../../src/main/engine/io/npy';
import { applyWindow } from '../../../../../src/main/engine/image/dicom/apply-window';
import type { DicomFacts, DicomFrame } from '../../../../../src/main/engine/image/dicom/dicom-types';
import { inspectImage, type ImageSource } from '../../../../../src/main/engine/image/image-source';
import { preprocess } from '../../../../../src/main/engine/image/preprocess';
import { ModelCard } from '../../../../../src/shared/model-card';

/**
 * The card's medical preprocessing against tensors computed by tools/fixtures/make_medical_fixtures.py
 * from pydicom's modality values and pydicom's own windowing (and torchxrayvision's normalisation
 * written out in numpy). Same size in and out, so the tensor is the formula's, up to the 16-bit
 * steps in which a DICOM's unit values are resampled (1/65535 of the unit range).
 */

const dir = join(__dirname, '../../../../fixtures/medical');

interface Case {
  card: Record<string, unknown> & { color: 'GRAY' | 'RGB' };
  facts: { file: string; photometric?: string; windows?: Array<{ center: number; width: number }>; min?: number; max?: number };
}
const cases = JSON.parse(await readFile(join(dir, 'cases.json'), 'utf8')) as Record<string, Case>;

function cardFor(c: Case, height: number, width: number): ModelCard {
  const { color, mean, std, ...medical } = c.card;
  return ModelCard.parse({
    name: 'medical',
    input: { name: 'x', layout: 'NCHW', height, width, color },
    preprocess: { resize: { mode: 'stretch' }, interpolation: 'linear', scale: 1, mean: mean ?? [0], std: std ?? [1], ...medical },
    output: { name: 'y', kind: 'multilabel-logits', labels: [] },
  });
}

/** An opened DICOM image as the reader gives it (the file's window rendered), built from pydicom's modality values. */
function sourceOf(values: Float32Array, height: number, width: number, facts: Case['facts']): ImageSource {
  const dicomFacts: DicomFacts = {
    identity: {},
    transferSyntaxUid: '1.2.840.10008.1.2.1',
    photometric: facts.photometric!,
    rows: height,
    columns: width,
    frames: 1,
    samplesPerPixel: 1,
    bitsAllocated: 16,
    bitsStored: 16,
    pixelRepresentation: 1,
    planarConfiguration: 0,
    rescaleSlope: 1,
    rescaleIntercept: 0,
    windows: facts.windows ?? [],
    voiLutFunction: 'LINEAR',
    hasVoiLutTable: false,
    burnedInAnnotation: false,
  };
  const frame: DicomFrame = { facts: dicomFacts, frame: 0, width, height, channels: 1, values, min: facts.min!, max: facts.max! };
  const dicom = { facts: dicomFacts, frame, window: 'file' as const, pixels: applyWindow(frame, 'file'), notes: [] };
  return { name: facts.file, bytes: new Uint8Array(), format: 'dicom', width, height, channels: 1, bitDepth: 16, hasAlpha: false, dicom };
}

/** Largest difference allowed: half a 16-bit step of u, times how much the card stretches u. */
function tolerance(c: Case, expected: Float32Array): number {
  const range = (c.card['valueRange'] as number[] | undefined) ?? [0, 1];
  const stretch = (range[1]! - range[0]!) / Math.min(...((c.card['std'] as number[] | undefined) ?? [1]));
  if (c.card['zscore']) return 2e-4 * Math.max(...expected.map(Math.abs));
  return (0.5 / 65535) * stretch + 1e-6 * Math.max(1, ...expected.map(Math.abs));
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe("the card's medical preprocessing against pydicom and numpy", () => {
  const dicomCases = Object.entries(cases).filter(([, c]) => c.facts.file.endsWith('.dcm'));
  it.each(dicomCases)('%s', async (name, c) => {
    const modality = await readNpyFile(join(dir, c.facts.file.replace('_mono1', '').replace('.dcm', '.modality.npy')));
    const [height, width] = modality.shape as [number, number];
    const expected = toFloat32(await readNpyFile(join(dir, `${name}.expected.npy`)));
    const { data } = await preprocess(sourceOf(toFloat32(modality), height, width, c.facts), cardFor(c, height, width));
    expect(maxDifference(data, expected)).toBeLessThanOrEqual(tolerance(c, expected));
  });

  it.each(dicomCases)('%s, read by the DICOM reader', async (name, c) => {
    const source = await inspectImage(new Uint8Array(await readFile(join(dir, c.facts.file))), c.facts.file);
    expect(source.dicom?.facts.photometric).toBe(c.facts.photometric);
    const expected = toFloat32(await readNpyFile(join(dir, `${name}.expected.npy`)));
    const { data } = await preprocess(source, cardFor(c, source.height, source.width));
    expect(maxDifference(data, expected)).toBeLessThanOrEqual(tolerance(c, expected));
  });

  it.each(['xrv-png', 'png-zscore'])('%s: an 8-bit PNG', async (name) => {
    const c = cases[name]!;
    const source = await inspectImage(new Uint8Array(await readFile(join(dir, c.facts.file))), c.facts.file);
    const expected = toFloat32(await readNpyFile(join(dir, `${name}.expected.npy`)));
    const { data } = await preprocess(source, cardFor(c, source.height, source.width));
    // 8-bit data has no quantisation of its own here: float32 rounding only.
    expect(maxDifference(data, expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, ...expected.map(Math.abs)));
  });
});
