import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, test } from 'vitest';
import { planGeometry } from '../../../../../src/shared/image-geometry';
import { applyWindow } from '../../../../../src/main/engine/image/dicom/apply-window';
import { inspectImage, withWindow } from '../../../../../src/main/engine/image/image-source';
import { listImages } from '../../../../../src/main/engine/image/list-images';
import { makePreview } from '../../../../../src/main/engine/image/preview';
import { resample } from '../../../../../src/main/engine/image/resample';
import { displayImage } from '../../../../../src/main/engine/report/render-images';
import { encodePng16 } from '../../../../helpers/png16';

const root = join(import.meta.dirname, '../../../../fixtures/dicom');
const read = (path: string): Uint8Array => new Uint8Array(readFileSync(join(root, path)));

describe('a DICOM file opens as an image source', () => {
  test('its rendered 16-bit pixels are what resample reads, exactly as from a 16-bit PNG of them', async () => {
    const source = await inspectImage(read('radiograph/radiograph_j2k.dcm'), 'radiograph_j2k.dcm');
    expect(source).toMatchObject({ format: 'dicom', width: 256, height: 256, channels: 1, bitDepth: 16, hasAlpha: false });
    const dicom = source.dicom!;
    expect(dicom.pixels).toEqual(applyWindow(dicom.frame, dicom.facts.windows[0]!));
    expect(dicom.notes).toEqual([]);

    const whole = planGeometry(source, { width: 256, height: 256 }, { mode: 'stretch' });
    expect((await resample(source, whole, 'linear')).data).toEqual(dicom.pixels);

    // The same pixels as a 16-bit PNG go through the same libvips pipeline: centre crop and resize.
    const png = await inspectImage(encodePng16(256, 256, 1, dicom.pixels), 'same.png');
    const plan = planGeometry(source, { width: 96, height: 96 }, { mode: 'center-crop', cropFraction: 0.875 });
    const fromDicom = await resample(source, plan, 'cubic');
    const fromPng = await resample(png, plan, 'cubic');
    expect(fromDicom.bitDepth).toBe(16);
    expect(fromDicom.data).toEqual(fromPng.data);
  });

  test('the preview and the report image are 8-bit renderings of the same pixels', async () => {
    const source = await inspectImage(read('radiograph/radiograph_mono1.dcm'), 'mono1.dcm');
    const preview = await makePreview(source);
    const meta = await sharp(preview.data).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels, meta.depth]).toEqual(['png', 256, 256, 1, 'uchar']);
    const gray = await sharp(preview.data).extractChannel(0).raw().toBuffer();
    // MONOCHROME1 is inverted: where the stored value is smallest, the preview is white.
    const darkestStored = source.dicom!.frame.values.indexOf(source.dicom!.frame.min);
    expect(gray[darkestStored]).toBe(255);
    for (let i = 0; i < gray.length; i += 97) expect(Math.abs(gray[i]! - source.dicom!.pixels[i]! / 257)).toBeLessThanOrEqual(1);

    const report = await displayImage(source, 128);
    expect([report.width, report.height, report.data.length]).toEqual([128, 128, 128 * 128 * 3]);
  });

  test('colour DICOM opens as 3 channels; YBR is converted to RGB', async () => {
    const source = await inspectImage(read('pydicom/SC_rgb_jpeg_dcmtk.dcm'), 'ybr.dcm');
    expect([source.channels, source.width, source.height]).toEqual([3, 100, 100]);
    const pixels = await resample(source, planGeometry(source, { width: 100, height: 100 }, { mode: 'stretch' }), 'linear');
    expect(pixels.channels).toBe(3);
    // pydicom's test for this file: the top-left pixel is red (255, 0, 0) in RGB.
    expect(Array.from(pixels.data.subarray(0, 3)).map((v) => Math.round(v / 257))).toEqual([254, 0, 0]);
  });

  test('another window re-renders the same frame without decoding again', async () => {
    const source = await inspectImage(read('radiograph/radiograph_mono2.dcm'), 'r.dcm');
    const soft = withWindow(source, source.dicom!.facts.windows[1]!);
    expect(soft.dicom!.frame).toBe(source.dicom!.frame);
    expect(soft.dicom!.pixels).toEqual(applyWindow(source.dicom!.frame, { center: 1500, width: 1200 }));
    expect(soft.bytes).toBe(source.bytes);
  });

  test('a multi-frame file opens frame 1 with a note; another frame can be chosen', async () => {
    const bytes = read('pydicom/rtdose.dcm');
    const first = await inspectImage(bytes, 'rtdose.dcm');
    expect(first.dicom!.frame.frame).toBe(0);
    expect(first.dicom!.notes).toEqual(['"rtdose.dcm" holds 15 frames (a volume or a series of images); Lumen opened frame 1. Choose another frame to explain it.']);
    const third = await inspectImage(bytes, 'rtdose.dcm', undefined, { frame: 2 });
    expect(third.dicom!.notes).toEqual([]);
    expect(third.dicom!.frame.values).not.toEqual(first.dicom!.frame.values);
    await expect(inspectImage(bytes, 'rtdose.dcm', undefined, { frame: 15 })).rejects.toThrow('"rtdose.dcm" has 15 frames; frame 16 does not exist.');
  });

  test('a broken VOI LUT falls back to the full range, saying so', async () => {
    const source = await inspectImage(read('radiograph/mr_voi_lut_broken.dcm'), 'broken.dcm');
    expect(source.dicom!.window).toBe('full-range');
    expect(source.dicom!.notes).toEqual(["Window: the file's VOI LUT cannot be used (VOI LUT 1 has 200 bytes of LUT Data for 2048 entries); the image is shown over its full range of values."]);
    expect(source.dicom!.pixels).toEqual(applyWindow(source.dicom!.frame, 'full-range'));
  });

  test('bad DICOM is refused with what is wrong', async () => {
    await expect(inspectImage(read('pydicom/test-SR.dcm'), 'report.dcm')).rejects.toThrow('"report.dcm" is a DICOM Structured Report with no pixel data: there is no image to open.');
    await expect(inspectImage(read('pydicom/MR_truncated.dcm'), 'cut.dcm')).rejects.toThrow(/"cut.dcm" is a DICOM file cut short/);
    await expect(inspectImage(read('pydicom/JPGExtended.dcm'), 'jpeg12.dcm')).rejects.toThrow(
      '"jpeg12.dcm" uses JPEG Extended (Process 2 & 4) (1.2.840.10008.1.2.4.51): its 12-bit JPEG (Process 4) data needs a 12-bit JPEG decoder, which Lumen does not include.',
    );
    await expect(inspectImage(read('radiograph/j2k_part2_unsupported.dcm'), 'part2.dcm')).rejects.toThrow(
      '"part2.dcm" uses JPEG 2000 Part 2 Multi-component (1.2.840.10008.1.2.4.93): Lumen has no decoder for it.',
    );
    await expect(inspectImage(read('radiograph/radiograph_mono2.dcm'), 'big.dcm', 1000)).rejects.toMatchObject({ code: 'image-too-large' });
  });
});

describe('listImages finds DICOM files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lumen-dicom-list-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('.dcm/.dicom files and extensionless or UID-named DICOM; not DICOMDIR, not other extensionless files', async () => {
    const mr = read('pydicom/MR_small.dcm');
    mkdirSync(join(dir, 'series'));
    writeFileSync(join(dir, 'a.dcm'), mr);
    writeFileSync(join(dir, 'b.DICOM'), mr);
    writeFileSync(join(dir, 'series', 'IM0001'), mr);
    writeFileSync(join(dir, 'series', '1.2.840.113619.2.55'), mr);
    writeFileSync(join(dir, 'series', 'no-preamble'), mr.subarray(132));
    writeFileSync(join(dir, 'DICOMDIR'), mr);
    writeFileSync(join(dir, 'README'), 'not an image');
    writeFileSync(join(dir, 'tiny'), new Uint8Array(2));
    writeFileSync(join(dir, 'notes.txt'), mr);
    expect(await listImages(dir)).toEqual(['a.dcm', 'b.DICOM', join('series', '1.2.840.113619.2.55'), join('series', 'IM0001'), join('series', 'no-preamble')]);
  });
});
