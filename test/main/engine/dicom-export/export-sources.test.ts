import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDataset, textOf, type DicomDataset } from '../../../../src/main/engine/dicom-export/dicom-dataset';
import { decodeDicomFrame } from '../../../../src/main/engine/image/dicom/decode-dicom-frame';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { repoRoot } from '../../../helpers/built-app';
import { dciodvfy } from '../../../helpers/dicom-tools';
import { testApi } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/tiny-models';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');

const pydicom = (name: string): string => join(repoRoot, 'test/fixtures/dicom/pydicom', name);
const item = (dataset: DicomDataset, tag: string): DicomDataset => (dataset[tag]!.Value as DicomDataset[])[0]!;
const read = (path: string): DicomDataset => readDataset(new Uint8Array(readFileSync(path))).dataset;

describe('dicom.export over the contract, from the kinds of DICOM source Lumen reads', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let modelId: string;
  beforeAll(async () => {
    ({ api, close } = testApi());
    modelId = (await api.call('models.open', {})).id;
  }, 60_000);
  afterAll(() => close());

  const exportOf = async (file: string, extra: Record<string, unknown> = {}) => {
    const image = await api.call('images.open', { source: 'file', path: pydicom(file) });
    const out = tempDir('lumen-dicom-export-');
    const result = await api.call('dicom.export', { modelId, imageId: image.id, method: 'gradient', segmentation: true, outDir: out, ...extra });
    return { image, result };
  };

  it('a CT slice: the Segmentation lies in the source’s frame of reference (plane position, orientation, spacing), both files valid', async () => {
    const { result } = await exportOf('CT_small.dcm');
    const source = read(pydicom('CT_small.dcm'));
    const [sc, seg] = result.files.map((f) => read(f.path!)) as [DicomDataset, DicomDataset];
    for (const file of result.files) expect(dciodvfy(file.path!).errors, file.name).toEqual([]);
    expect([textOf(sc, '00280010'), textOf(sc, '00280011')]).toEqual([textOf(source, '00280010'), textOf(source, '00280011')]);
    // De-identified: the frame of reference is replaced like every UID, consistently; geometry is not identifying and is kept.
    expect(textOf(seg, '00200052')).toMatch(/^2\.25\./);
    expect(textOf(seg, '00200052')).not.toBe(textOf(source, '00200052'));
    expect(item(item(seg, '52009230'), '00209113')['00200032']!.Value).toEqual(source['00200032']!.Value);
    expect(item(item(seg, '52009229'), '00209116')['00200037']!.Value).toEqual(source['00200037']!.Value);
    expect(item(item(seg, '52009229'), '00289110')['00280030']!.Value).toEqual(source['00280030']!.Value);
    expect(seg['00200020']).toBeUndefined();
  }, 180_000);

  it('a JPEG 2000 MR slice: the overlay is drawn over the decoded image at its size', async () => {
    const { result } = await exportOf('MR_small_jp2klossless.dcm');
    for (const file of result.files) expect(dciodvfy(file.path!).errors, file.name).toEqual([]);
    const frame = await decodeDicomFrame(new Uint8Array(readFileSync(result.files[0]!.path!)), 'sc.dcm');
    expect([frame.width, frame.height, frame.channels]).toEqual([64, 64, 3]);
  }, 180_000);

  it('a two-frame 16-bit RGB file of a single-frame class: referenced whole (a frame number is not allowed there)', async () => {
    const { image, result } = await exportOf('SC_rgb_rle_16bit_2frame.dcm');
    expect(image.width).toBeGreaterThan(0);
    for (const file of result.files) expect(dciodvfy(file.path!).errors, file.name).toEqual([]);
    const sc = read(result.files[0]!.path!);
    expect(item(sc, '00082112')['00081160']).toBeUndefined();
  }, 180_000);
});
