import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { datasetImages } from '../../../../src/main/engine/project/dataset-images';
import { importDicomdir, importDicomFolder } from '../../../../src/main/engine/project/dataset-import';
import { datasetStudies } from '../../../../src/main/engine/project/dataset-studies';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { projectSummary } from '../../../../src/main/engine/project/project-summary';
import { DatasetImagesParams } from '../../../../src/shared/contract/project';
import { tempDir } from '../../../helpers/tiny-models';

const fixtures = join(__dirname, '../../../fixtures/dicom');
const UID = '2.25.31415926535897932384626433832795';

describe('a DICOM dataset grouped by patient, study and series', () => {
  let store: ProjectStore;
  beforeAll(async () => {
    store = ProjectStore.open(join(tempDir(), 'p'), { create: true });
    await importDicomFolder(store, 'dx', join(fixtures, 'folder'));
    await importDicomdir(store, 'media', join(fixtures, 'dicomdir', 'DICOMDIR'));
    return () => store.close();
  });
  const page = (params: Record<string, unknown>) => datasetImages(store, DatasetImagesParams.parse({ project: store.folder, dataset: 'dx', ...params }));

  it('lists studies with their series, numbered patients and no patient ID', () => {
    const result = datasetStudies(store, { project: store.folder, dataset: 'dx' });
    expect(result.patients).toBe(3);
    expect(result.studies).toEqual([
      {
        uid: `${UID}.1`,
        description: 'Chest two views',
        patient: 'Patient 1',
        images: 3,
        series: [
          { uid: `${UID}.1.1`, number: 1, description: 'PA', modality: 'DX', images: 2, frames: 2 },
          { uid: `${UID}.1.2`, number: 2, description: 'Lateral', modality: 'DX', images: 1, frames: 1 },
        ],
      },
      { uid: expect.stringMatching(/^1\.2\.826\./), description: null, patient: 'Patient 2', images: 1, series: [expect.objectContaining({ number: 1, modality: 'OT', images: 1, frames: 2 })] },
      { uid: `${UID}.2`, description: 'Knee', patient: 'Patient 3', images: 2, series: [{ uid: `${UID}.2.1`, number: 1, description: 'AP', modality: 'CR', images: 2, frames: 2 }] },
    ]);
    expect(JSON.stringify(result)).not.toMatch(/LUMEN-P|ID1/);
  });

  it('studies that share a patient share a number (pydicom media: two folders, one Patient ID)', () => {
    const result = datasetStudies(store, { project: store.folder, dataset: 'media' });
    expect(result.patients).toBe(2);
    expect(result.studies).toHaveLength(6);
    expect(result.studies.map((s) => s.patient)).toEqual(['Patient 1', 'Patient 1', 'Patient 2', 'Patient 2', 'Patient 2', 'Patient 2']);
    expect(result.studies.reduce((n, s) => n + s.series.length, 0)).toBe(13);
    expect(result.studies.reduce((n, s) => n + s.images, 0)).toBe(31);
    // Series in number order within a study.
    for (const s of result.studies) {
      const numbers = s.series.map((x) => x.number ?? Infinity);
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    }
  });

  it('pages carry each image study, series, instance and frames, and filter by study or series', () => {
    const all = page({});
    expect(all.total).toBe(6);
    expect(all.rows.find((r) => r.path === 'P1/study1/series2/IM1')!.dicom).toEqual({
      sopInstanceUid: `${UID}.1.2.1`,
      studyUid: `${UID}.1`,
      studyDescription: 'Chest two views',
      seriesUid: `${UID}.1.2`,
      seriesNumber: 2,
      seriesDescription: 'Lateral',
      instanceNumber: 1,
      modality: 'DX',
      frames: 1,
    });
    expect(all.rows.find((r) => r.path === 'P2/other/two-frames.dcm')!.dicom!.frames).toBe(2);
    expect(JSON.stringify(all)).not.toMatch(/LUMEN-P/);
    const study = page({ studyUid: `${UID}.1` });
    expect(study.total).toBe(3);
    expect(study.rows.map((r) => r.path)).toEqual(['P1/study1/series1/IM1.dcm', 'P1/study1/series1/IM2.dcm', 'P1/study1/series2/IM1']);
    const series = page({ studyUid: `${UID}.2`, seriesUid: `${UID}.2.1`, limit: 1, offset: 1 });
    expect(series.total).toBe(2);
    expect(series.rows.map((r) => r.path)).toEqual(['P2/study2/series1/IM2.dcm']);
    expect(page({ seriesUid: 'no-such' }).total).toBe(0);
    // The search finds study and series descriptions too.
    expect(page({ search: 'lateral' }).rows.map((r) => r.path)).toEqual(['P1/study1/series2/IM1']);
    expect(page({ search: 'KNEE' }).total).toBe(2);
  });

  it('sorts in DICOM order: by study, series number, instance number', () => {
    const rows = page({ sort: 'series', studyUid: `${UID}.1` }).rows;
    expect(rows.map((r) => [r.dicom!.seriesNumber, r.dicom!.instanceNumber])).toEqual([
      [1, 1],
      [1, 2],
      [2, 1],
    ]);
    const down = page({ sort: 'series', studyUid: `${UID}.1`, descending: true }).rows;
    expect(down.map((r) => r.path)).toEqual(rows.map((r) => r.path).reverse());
  });

  it('the project summary says which datasets hold DICOM and how many studies and series', () => {
    const summary = projectSummary(store);
    expect(summary.datasets.map((d) => [d.name, d.dicom])).toEqual([
      ['dx', { studies: 3, series: 4 }],
      ['media', { studies: 6, series: 13 }],
    ]);
  });
});
