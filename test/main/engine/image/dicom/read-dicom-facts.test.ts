import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { LumenError } from '../../../../../src/shared/errors';
import { isDicom, readDicomFacts } from '../../../../../src/main/engine/image/dicom/read-dicom-facts';

const root = join(import.meta.dirname, '../../../../fixtures/dicom');
const read = (path: string): Uint8Array => new Uint8Array(readFileSync(join(root, path)));

function caught(fn: () => unknown): LumenError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LumenError);
    return error as LumenError;
  }
  throw new Error('expected an error');
}

describe('isDicom', () => {
  test('a Part 10 file, a meta header without preamble, and bare data sets without meta are DICOM', () => {
    const mr = read('pydicom/MR_small.dcm');
    expect(isDicom(mr)).toBe(true);
    expect(isDicom(mr.subarray(128))).toBe(false); // "DICM" first: neither layout
    expect(isDicom(mr.subarray(132))).toBe(true); // meta header at byte 0
    expect(isDicom(read('pydicom/ExplVR_LitEndNoMeta.dcm'))).toBe(true);
    expect(isDicom(read('pydicom/ExplVR_BigEndNoMeta.dcm'))).toBe(true);
    expect(isDicom(read('pydicom/rtstruct.dcm'))).toBe(true); // implicit VR little endian, no meta
  });

  test('PNG, JPEG, text and short files are not', () => {
    expect(isDicom(new Uint8Array(readFileSync(join(root, '../medical/gray8.png'))))).toBe(false);
    expect(isDicom(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1]))).toBe(false);
    expect(isDicom(new TextEncoder().encode('patient,label\n1,normal\n'))).toBe(false);
    expect(isDicom(new Uint8Array(3))).toBe(false);
    expect(isDicom(new Uint8Array(200))).toBe(false);
  });
});

describe('readDicomFacts', () => {
  test('MR_small: geometry, signed 16-bit samples and its window (values as dcmdump shows them)', () => {
    const facts = readDicomFacts(read('pydicom/MR_small.dcm'), 'MR_small.dcm');
    expect(facts).toMatchObject({
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      photometric: 'MONOCHROME2',
      rows: 64,
      columns: 64,
      frames: 1,
      samplesPerPixel: 1,
      bitsAllocated: 16,
      bitsStored: 16,
      pixelRepresentation: 1,
      rescaleSlope: 1,
      rescaleIntercept: 0,
      windows: [{ center: 600, width: 1600 }],
      voiLutFunction: 'LINEAR',
      hasVoiLutTable: false,
    });
    expect(facts.spacing).toEqual({ rowMm: 0.3125, columnMm: 0.3125, source: 'PixelSpacing' });
    expect(facts.identity.modality).toBe('MR');
    expect(facts.identity.sopInstanceUid).toBe('1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457');
  });

  test('the same facts whatever the encoding: implicit VR, big endian, RLE, JPEG-LS, JPEG 2000, no preamble', () => {
    const reference = readDicomFacts(read('pydicom/MR_small.dcm'), 'a');
    const strip = ({ transferSyntaxUid: _t, ...rest }: typeof reference) => rest;
    for (const name of ['MR_small_implicit.dcm', 'MR_small_bigendian.dcm', 'MR_small_RLE.dcm', 'MR_small_jpeg_ls_lossless.dcm', 'MR_small_jp2klossless.dcm']) {
      expect(strip(readDicomFacts(read(`pydicom/${name}`), name)), name).toEqual(strip(reference));
    }
    expect(readDicomFacts(read('pydicom/MR_small.dcm').subarray(132), 'no-preamble')).toEqual(reference);
  });

  test('CT rescale, deflated data, several window presets with explanations, imager pixel spacing', () => {
    const ct = readDicomFacts(read('pydicom/CT_small.dcm'), 'CT_small.dcm');
    expect([ct.rescaleSlope, ct.rescaleIntercept, ct.identity.modality]).toEqual([1, -1024, 'CT']);
    const deflated = readDicomFacts(read('pydicom/image_dfl.dcm'), 'image_dfl.dcm');
    expect([deflated.transferSyntaxUid, deflated.rows, deflated.columns, deflated.bitsStored]).toEqual(['1.2.840.10008.1.2.1.99', 512, 512, 8]);
    const radiograph = readDicomFacts(read('radiograph/radiograph_mono2.dcm'), 'r');
    expect(radiograph.windows).toEqual([
      { center: 2048, width: 4096, explanation: 'FULL' },
      { center: 1500, width: 1200, explanation: 'SOFT' },
    ]);
    expect(radiograph.spacing).toEqual({ rowMm: 0.7, columnMm: 0.7, source: 'ImagerPixelSpacing' });
    expect(radiograph.identity.patientName).toBe('LUMEN^RADIOGRAPH');
    expect(readDicomFacts(read('pydicom/rtdose.dcm'), 'rtdose.dcm').frames).toBe(15);
  });

  test('a VOI LUT Sequence is read as a table, a malformed one is reported', () => {
    const facts = readDicomFacts(read('radiograph/mr_voi_lut.dcm'), 'lut');
    expect(facts.hasVoiLutTable).toBe(true);
    expect(facts.voiLutTables).toHaveLength(1);
    expect(facts.voiLutTables![0]).toMatchObject({ firstMapped: 100, bits: 16, explanation: 'GAMMA' });
    expect(facts.voiLutTables![0]!.data.length).toBe(2048);
    expect(facts.voiLutTables![0]!.data[2047]).toBe(65535);
    const broken = readDicomFacts(read('radiograph/mr_voi_lut_broken.dcm'), 'broken');
    expect(broken.voiLutTables).toBeUndefined();
    expect(broken.voiLutProblem).toMatch(/200 bytes of LUT Data for 2048 entries/);
  });

  test('a Modality LUT Sequence is read as a table that replaces the rescale', () => {
    const facts = readDicomFacts(read('radiograph/mr_modality_lut.dcm'), 'mlut');
    expect(facts.modalityLutTable).toMatchObject({ firstMapped: 100, bits: 16 });
    expect(Array.from(facts.modalityLutTable!.data.subarray(0, 3))).toEqual([7, 10, 13]);
    expect(facts.modalityLutProblem).toBeUndefined();
  });

  test('no pixel data, truncation and non-DICOM bytes are refused with what they are', () => {
    expect(caught(() => readDicomFacts(read('pydicom/test-SR.dcm'), 'test-SR.dcm')).message).toBe('"test-SR.dcm" is a DICOM Structured Report with no pixel data: there is no image to open.');
    expect(caught(() => readDicomFacts(read('pydicom/ExplVR_LitEndNoMeta.dcm'), 'plan')).message).toMatch(/no pixel data/);
    expect(caught(() => readDicomFacts(read('pydicom/rtstruct.dcm'), 'rtstruct.dcm')).message).toBe('"rtstruct.dcm" is an RT Structure Set with no pixel data: there is no image to open.');
    expect(caught(() => readDicomFacts(read('pydicom/MR_truncated.dcm'), 'MR_truncated.dcm')).message).toMatch(/^"MR_truncated.dcm" is a DICOM file cut short/);
    const png = new Uint8Array(readFileSync(join(root, '../medical/gray8.png')));
    expect(caught(() => readDicomFacts(png, 'gray8.png')).message).toMatch(/is not a DICOM file/);
  });
});
