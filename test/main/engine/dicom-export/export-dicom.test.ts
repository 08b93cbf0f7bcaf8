import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../../src/main/engine/engine';
import { exportDicom } from '../../../../src/main/engine/dicom-export/export-dicom';
import { UidMapper } from '../../../../src/main/engine/deidentify/uid-mapper';
import { inspectImage } from '../../../../src/main/engine/image/image-source';
import { preprocess } from '../../../../src/main/engine/image/preprocess';
import type { ImageSource } from '../../../../src/main/engine/image/image-source';
import { repoRoot } from '../../../helpers/built-app';
import { dciodvfy, dcmdump } from '../../../helpers/dicom-tools';
import { ExportDicomParams } from '../../../../src/shared/contract/dicom-export';

const fixture = (name: string): string => join(repoRoot, 'test/fixtures/dicom-export', name);

/** Every identifying value the fixture's header holds (tools/fixtures/make_identifying_dicom.sh). */
const identifying = ['HOPPERSECRET', 'MRN7734921', '19061209', 'ACCSECRET991', 'STUDYSECRET', 'REFERRERSECRET', '117Y', 'OTHERIDSECRET55', 'SECRETSTREET', 'SECRETINSTITUTE', 'SECRETAVENUE', 'OPERATORSECRET', 'PERFORMERSECRET', 'SERIALSECRET42', 'STATIONSECRET', 'STUDYDESCSECRET', 'SERIESDESCSECRET', 'COMMENTSECRET', 'PATCOMMENTSECRET', 'SECRETVENDOR', 'PRIVATESECRET', '20240317', '1.2.826.0.1.3680043.10.1148'];

describe('DICOM export from a DICOM source full of identifiers', () => {
  let engine: Engine;
  let modelId: string;
  let source: ImageSource;
  let input: Float32Array;
  const out = mkdtempSync(join(tmpdir(), 'lumen-dicom-export-'));

  beforeAll(async () => {
    engine = new Engine({ graphCacheDir: null });
    modelId = (await engine.handlers['models.open']({ executionProvider: 'cpu' }, { requestId: 't', signal: new AbortController().signal })).id;
    const dicomBytes = new Uint8Array(readFileSync(fixture('identifying.dcm')));
    // The model sees the same pixels as the DICOM file holds (the fixture's PNG twin).
    const png = await inspectImage(new Uint8Array(readFileSync(fixture('identifying.png'))), 'identifying.png');
    input = (await preprocess(png, engine.models.get(modelId).resolved.card)).data;
    source = { ...png, name: 'MRN7734921.dcm', bytes: dicomBytes, format: 'dicom' };
  }, 60_000);
  afterAll(() => engine.pool.close?.());

  it('writes a de-identified Secondary Capture and Segmentation that dciodvfy accepts and that hold no identifier', async () => {
    const params = ExportDicomParams.parse({ modelId, imageId: 'x', method: 'grad-cam', segmentation: true, outDir: out });
    const result = await exportDicom({ model: engine.models.get(modelId), image: { id: 'f'.repeat(64), source }, input, params }, { attributions: engine.attributions, uids: new UidMapper() });
    expect(result.files.map((f) => f.kind)).toEqual(['secondary-capture', 'segmentation']);
    for (const file of result.files) {
      const verdict = dciodvfy(file.path!);
      console.log(file.name, verdict.output);
      expect(verdict.errors).toEqual([]);
      const dump = dcmdump(file.path!);
      for (const value of identifying) expect(dump, value).not.toContain(value);
      expect(file.name).not.toContain('MRN7734921');
    }
  }, 120_000);
});
