import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import dcmjs from 'dcmjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UidMapper } from '../../../../src/main/engine/deidentify/uid-mapper';
import { readDataset, textOf, type DicomDataset } from '../../../../src/main/engine/dicom-export/dicom-dataset';
import { exportDicom } from '../../../../src/main/engine/dicom-export/export-dicom';
import { Engine } from '../../../../src/main/engine/engine';
import { decodeDicomFrame } from '../../../../src/main/engine/image/dicom/decode-dicom-frame';
import { inspectImage, type ImageSource } from '../../../../src/main/engine/image/image-source';
import { preprocess } from '../../../../src/main/engine/image/preprocess';
import { ExportDicomParams, type ExportedDicom } from '../../../../src/shared/contract/dicom-export';
import { selectXraiRegions } from '../../../../src/shared/heatmap/xrai-mask';
import { repoRoot } from '../../../helpers/built-app';
import { dciodvfy, dcmdump } from '../../../helpers/dicom-tools';

const fixture = (name: string): string => join(repoRoot, 'test/fixtures/dicom-export', name);

/** Every identifying value the fixture's header holds (tools/fixtures/make_identifying_dicom.sh), its UID root included. */
export const identifyingValues = ['HOPPERSECRET', 'MRN7734921', '19061209', 'ACCSECRET991', 'STUDYSECRET', 'REFERRERSECRET', '117Y', 'OTHERIDSECRET55', 'SECRETSTREET', 'SECRETINSTITUTE', 'SECRETAVENUE', 'OPERATORSECRET', 'PERFORMERSECRET', 'SERIALSECRET42', 'STATIONSECRET', 'STUDYDESCSECRET', 'SERIESDESCSECRET', 'COMMENTSECRET', 'PATCOMMENTSECRET', 'SECRETVENDOR', 'PRIVATESECRET', '20240317', '1.2.826.0.1.3680043.10.1148'];
const sourceUids = { study: '1.2.826.0.1.3680043.10.1148.1.1', series: '1.2.826.0.1.3680043.10.1148.1.2', instance: '1.2.826.0.1.3680043.10.1148.1.3' };

const item = (dataset: DicomDataset, tag: string, index = 0): DicomDataset => (dataset[tag]!.Value as DicomDataset[])[index]!;
const read = (path: string): DicomDataset => readDataset(new Uint8Array(readFileSync(path))).dataset;
/** A source file rewritten with a changed data set (dcmjs, as Lumen writes). */
function writePart10Like(meta: DicomDataset, dataset: DicomDataset): Uint8Array {
  const dict = new dcmjs.data.DicomDict(meta);
  dict.dict = dataset;
  return new Uint8Array(dict.write());
}

/** An independent reader of the written pixels: dcmtk's dcm2pnm, as a binary PPM (P6). */
function dcmtkRgb(path: string): { width: number; height: number; data: Uint8Array } {
  const ppm = execFileSync('dcm2pnm', ['+op', '+Wn', path]);
  const header = ppm.subarray(0, 20).toString('latin1').match(/^P6\s+(\d+)\s+(\d+)\s+255\s/);
  if (!header) throw new Error('dcm2pnm did not write a binary PPM');
  return { width: Number(header[1]), height: Number(header[2]), data: new Uint8Array(ppm.subarray(header[0].length)) };
}

/** The Segmentation's frame as bytes 0/1, read with gdcmraw (another independent reader) and unpacked LSB first. */
function gdcmMask(path: string, pixels: number): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'lumen-gdcmraw-'));
  execFileSync('gdcmraw', ['-i', path, '-o', join(dir, 'seg.raw')]);
  const packed = new Uint8Array(readFileSync(join(dir, 'seg.raw')));
  return Uint8Array.from({ length: pixels }, (_, i) => (packed[i >> 3]! >> (i & 7)) & 1);
}

describe('DICOM export from a DICOM source full of identifiers', () => {
  let engine: Engine;
  let modelId: string;
  let source: ImageSource;
  let input: Float32Array;
  let deidentified: ExportedDicom;
  const out = mkdtempSync(join(tmpdir(), 'lumen-dicom-export-'));
  const run = (extra: Record<string, unknown>, uids = new UidMapper()): Promise<ExportedDicom> =>
    exportDicom({ model: engine.models.get(modelId), image: { id: 'f'.repeat(64), source }, input, params: ExportDicomParams.parse({ modelId, imageId: 'x', method: 'grad-cam', ...extra }) }, { attributions: engine.attributions, uids });

  beforeAll(async () => {
    engine = new Engine({ graphCacheDir: null });
    modelId = (await engine.handlers['models.open']({ executionProvider: 'cpu' }, { requestId: 't', signal: new AbortController().signal })).id;
    // The model sees the pixels the DICOM file holds (the fixture's PNG twin: the same 8-bit values).
    const png = await inspectImage(new Uint8Array(readFileSync(fixture('identifying.png'))), 'identifying.png');
    input = (await preprocess(png, engine.models.get(modelId).resolved.card)).data;
    source = { ...png, name: 'MRN7734921.dcm', bytes: new Uint8Array(readFileSync(fixture('identifying.dcm'))), format: 'dicom' };
    deidentified = await run({ segmentation: true, outDir: join(out, 'deid') });
  }, 120_000);
  afterAll(() => engine.dispose());

  it('the twin PNG holds the DICOM file’s pixels (so the model saw the file’s image)', async () => {
    const frame = await decodeDicomFrame(source.bytes, source.name);
    const { data } = await sharp(fixture('identifying.png')).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect([frame.width, frame.height, frame.channels]).toEqual([96, 112, 1]);
    expect(Array.from(frame.values, Math.round)).toEqual(Array.from(data));
  });

  it('writes a Secondary Capture and a Segmentation that dciodvfy accepts (no Error line)', () => {
    expect(deidentified.files.map((f) => f.kind)).toEqual(['secondary-capture', 'segmentation']);
    for (const file of deidentified.files) {
      const verdict = dciodvfy(file.path!);
      expect(verdict.errors, verdict.output).toEqual([]);
      // The warnings that remain, looked at: DICOMDIR keys emptied by the profile, an unknown
      // laterality, and the segment's private coding scheme (declared in Coding Scheme Identification).
      for (const w of verdict.warnings) expect(w).toMatch(/needed to build DICOMDIR|attribute <Laterality>|<99LUMEN>/);
    }
  });

  it('no identifying value of the source appears anywhere in the files (dcmdump), nor in their names', () => {
    for (const file of deidentified.files) {
      const dump = dcmdump(file.path!);
      for (const value of identifyingValues) expect(dump, value).not.toContain(value);
      expect(readFileSync(file.path!).toString('latin1')).not.toMatch(/SECRET|MRN7734921/);
      expect(file.name).not.toContain('MRN7734921');
    }
  });

  it('says it de-identified them, and both objects share one replaced study and reference one replaced source instance', () => {
    const [sc, seg] = deidentified.files.map((f) => read(f.path!)) as [DicomDataset, DicomDataset];
    for (const d of [sc, seg]) {
      expect(textOf(d, '00120062')).toBe('YES');
      expect(textOf(item(d, '00120064'), '00080100')).toBe('113100');
      // Lumen's own descriptions are added after the profile (Clean Descriptors).
      expect(textOf(item(d, '00120064', 1), '00080100')).toBe('113105');
      expect(textOf(d, '0008103E')).toMatch(/^Lumen /);
      expect(textOf(d, '00120063')).toMatch(/^DICOM PS3.15 Basic Profile \+ Clean Descriptors, Lumen /);
      // Lumen's own equipment is not the source's: it is written as it is.
      expect([textOf(d, '00080070'), textOf(d, '00181000')]).toEqual(['Lumen', 'LUMEN']);
      expect(textOf(d, '00100010')).toBe('');
    }
    expect(textOf(sc, '0020000D')).toBe(textOf(seg, '0020000D'));
    expect(textOf(sc, '0020000D')).toMatch(/^2\.25\./);
    expect(textOf(sc, '0020000E')).not.toBe(textOf(seg, '0020000E'));
    const scSource = textOf(item(sc, '00082112'), '00081155');
    const segSource = textOf(item(item(item(seg, '52009230'), '00089124'), '00082112'), '00081155');
    expect(segSource).toBe(scSource);
    expect(textOf(item(item(seg, '00081115'), '0008114A'), '00081155')).toBe(scSource);
    expect(scSource).toMatch(/^2\.25\./);
  });

  it('the Secondary Capture is flagged burned-in, made at a workstation, RGB at the source’s size, and both readers see the same pixels', async () => {
    const path = deidentified.files[0]!.path!;
    const sc = read(path);
    expect([textOf(sc, '00280301'), textOf(sc, '00080064'), textOf(sc, '00280004')]).toEqual(['YES', 'WSD', 'RGB']);
    expect(textOf(sc, '00082111')).toMatch(/Grad-CAM.*burned into the pixels/);
    const frame = await decodeDicomFrame(new Uint8Array(readFileSync(path)), 'sc.dcm');
    const reference = dcmtkRgb(path);
    expect([frame.width, frame.height, frame.channels]).toEqual([96, 112, 3]);
    expect([reference.width, reference.height]).toEqual([96, 112]);
    expect(Array.from(frame.values)).toEqual(Array.from(reference.data));
    // The heat map is in it: colour, where the source was grey.
    let coloured = 0;
    for (let i = 0; i < frame.values.length; i += 3) if (frame.values[i] !== frame.values[i + 2]) coloured++;
    expect(coloured).toBeGreaterThan(96 * 112 * 0.5);
  });

  it('the Segmentation holds XRAI’s top regions carried back through the model’s centre crop', async () => {
    const seg = read(deidentified.files[1]!.path!);
    expect([textOf(seg, '00620001'), textOf(seg, '00280010'), textOf(seg, '00280011'), textOf(seg, '00280100')]).toEqual(['BINARY', '112', '96', '1']);
    const mask = gdcmMask(deidentified.files[1]!.path!, 96 * 112);
    // Lumen's own reader sees the same bits as gdcm.
    const frame = await decodeDicomFrame(new Uint8Array(readFileSync(deidentified.files[1]!.path!)), 'seg.dcm');
    expect(Array.from(frame.values)).toEqual(Array.from(mask));
    const xrai = await engine.attributions.attribute({ model: engine.models.get(modelId), input, method: 'xrai', target: deidentified.target });
    const selection = selectXraiRegions(xrai.regions!, 0.1);
    // The bundled card: centre crop of the whole shorter side (96 px square at top 8), resized to 224.
    let agree = 0;
    for (let y = 0; y < 112; y++) {
      for (let x = 0; x < 96; x++) {
        const inCrop = y >= 8 && y < 104;
        const u = Math.floor(((x + 0.5) / 96) * 224);
        const v = Math.floor(((y + 0.5 - 8) / 96) * 224);
        const rank = inCrop ? xrai.regions!.ranks[v * 224 + u]! : 0;
        const expected = rank > 0 && selection.included[rank] === 1 ? 1 : 0;
        if (mask[y * 96 + x] === expected) agree++;
      }
    }
    expect(agree).toBe(96 * 112);
    const area = mask.reduce((a, b) => a + b, 0) / (96 * 96);
    expect(area).toBeGreaterThanOrEqual(0.09);
    expect(area).toBeLessThan(0.3);
  }, 60_000);

  it('--keep-identifiers keeps the patient, the study and the source UIDs, and warns', async () => {
    const kept = await run({ outDir: join(out, 'kept'), keepIdentifiers: true });
    const sc = read(kept.files[0]!.path!);
    expect(textOf(sc, '00100010')).toBe('HOPPERSECRET^GRACE');
    expect(textOf(sc, '00100020')).toBe('MRN7734921');
    expect(textOf(sc, '0020000D')).toBe(sourceUids.study);
    expect(textOf(item(sc, '00082112'), '00081155')).toBe(sourceUids.instance);
    expect(sc['00120062']).toBeUndefined();
    expect(kept.deidentified).toBe(false);
    expect(kept.warnings.join(' ')).toMatch(/Identifiers kept/);
    expect(dciodvfy(kept.files[0]!.path!).errors).toEqual([]);
    // Only the patient and study attributes are copied: never the institution, staff or private data.
    expect(dcmdump(kept.files[0]!.path!)).not.toMatch(/SECRETINSTITUTE|OPERATORSECRET|PRIVATESECRET|SERIALSECRET42/);
  }, 60_000);

  it('text outside ASCII (a patient named Müller) is written as declared: UTF-8', async () => {
    const { dataset, meta } = readDataset(source.bytes);
    dataset['00100010'] = { vr: 'PN', Value: [{ Alphabetic: 'MÜLLER^JOSÉ' }] };
    dataset['00080005'] = { vr: 'CS', Value: ['ISO_IR 192'] };
    const bytes = writePart10Like(meta, dataset);
    const named = await exportDicom(
      { model: engine.models.get(modelId), image: { id: 'e'.repeat(64), source: { ...source, bytes } }, input, params: ExportDicomParams.parse({ modelId, imageId: 'x', method: 'gradient', keepIdentifiers: true, outDir: join(out, 'utf8') }) },
      { attributions: engine.attributions, uids: new UidMapper() },
    );
    const path = named.files[0]!.path!;
    expect(dciodvfy(path).errors).toEqual([]);
    expect(textOf(read(path), '00080005')).toBe('ISO_IR 192');
    expect(textOf(read(path), '00100010')).toBe('MÜLLER^JOSÉ');
    expect(readFileSync(path).includes(Buffer.from('MÜLLER^JOSÉ', 'utf8'))).toBe(true);
  }, 60_000);

  it('two exports in one session land in the same de-identified study; another session gets another', async () => {
    const uids = new UidMapper();
    const a = await run({}, uids);
    const b = await run({ method: 'gradient' }, uids);
    const c = await run({});
    expect(a.files[0]!.studyInstanceUid).toBe(b.files[0]!.studyInstanceUid);
    expect(c.files[0]!.studyInstanceUid).not.toBe(a.files[0]!.studyInstanceUid);
    // Without a folder the files come back as bytes.
    expect(a.files[0]!.data!.byteLength).toBe(a.files[0]!.bytes);
    expect(a.files[0]!.path).toBeUndefined();
  }, 60_000);

  it('refuses to replace a file unless asked, before writing any', async () => {
    await expect(run({ outDir: join(out, 'deid') })).rejects.toThrow(/already exists/);
    await expect(run({ outDir: join(out, 'deid'), overwrite: true })).resolves.toBeDefined();
    // Only the second file is there: the first is not written either.
    const partly = join(out, 'partly');
    mkdirSync(partly);
    writeFileSync(join(partly, 'image-ffffffff.xrai-segmentation.dcm'), 'mine');
    await expect(run({ outDir: partly, segmentation: true })).rejects.toThrow(/xrai-segmentation\.dcm already exists/);
    expect(readdirSync(partly)).toEqual(['image-ffffffff.xrai-segmentation.dcm']);
  }, 120_000);

  it('a file name holding the header’s own identifier (not one that merely looks like one) is replaced too', async () => {
    const named = await exportDicom(
      { model: engine.models.get(modelId), image: { id: 'a'.repeat(64), source: { ...source, name: 'hoppersecret_chest.dcm' } }, input, params: ExportDicomParams.parse({ modelId, imageId: 'x', method: 'gradient' }) },
      { attributions: engine.attributions, uids: new UidMapper() },
    );
    expect(named.files[0]!.name).toBe('image-aaaaaaaa.gradient-overlay.dcm');
  }, 60_000);
});
