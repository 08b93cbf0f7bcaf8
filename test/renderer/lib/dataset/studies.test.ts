import { describe, expect, it } from 'vitest';
import type { DatasetStudies } from '../../../../src/shared/contract/project';
import { imagesParams, queryKey, sortKeys, type DatasetQuery } from '../../../../src/renderer/src/lib/dataset/query';
import { instanceCell, seriesCell, seriesName, studyCell, studyName, studyOfSeries, validChoice } from '../../../../src/renderer/src/lib/dataset/studies';

const studies: DatasetStudies['studies'] = [
  { uid: '1.1', description: 'Chest', patient: 'Patient 1', images: 2, series: [{ uid: '1.1.1', number: 1, description: 'PA', modality: 'DX', images: 2, frames: 2 }] },
  { uid: '1.2', description: null, patient: 'Patient 1', images: 1, series: [{ uid: '1.2.99999999', number: null, description: null, modality: null, images: 1, frames: 1 }] },
];

describe('study and series names and filter choices', () => {
  it('names studies and series by description and number, or by the end of the UID', () => {
    expect(studyName(studies[0]!)).toBe('Chest');
    expect(studyName({ uid: '1.2.840.123456789', description: null })).toBe('Study …23456789');
    expect(studyName({ uid: '', description: null })).toBe('Study without UID');
    expect(seriesName({ uid: 'x', number: 3, description: 'AX T1' })).toBe('3 AX T1');
    expect(seriesName({ uid: 'x', number: 3, description: null })).toBe('3');
    expect(seriesName(studies[1]!.series[0]!)).toBe('Series …99999999');
  });

  it('cells show a dash for images that are not DICOM, and the frames of a multi-frame file', () => {
    expect([studyCell(undefined), seriesCell(undefined), instanceCell(undefined)]).toEqual(['–', '–', '–']);
    const dicom = { sopInstanceUid: '1', studyUid: '1.1', studyDescription: 'Chest', seriesUid: '1.1.1', seriesNumber: 1, seriesDescription: 'PA', instanceNumber: 4, modality: 'DX', frames: 1 };
    expect([studyCell(dicom), seriesCell(dicom), instanceCell(dicom)]).toEqual(['Chest', '1 PA · DX', '#4']);
    expect(instanceCell({ ...dicom, instanceNumber: null, frames: 12 })).toBe('12 frames (first shown)');
  });

  it('a series chooses its study; a choice the dataset no longer has falls back to all', () => {
    expect(studyOfSeries(studies, '1.2.99999999')).toBe('1.2');
    expect(studyOfSeries(studies, 'gone')).toBeUndefined();
    expect(validChoice(studies, '1.1', '1.1.1')).toEqual({ studyUid: '1.1', seriesUid: '1.1.1' });
    expect(validChoice(studies, '1.1', '1.2.99999999')).toEqual({ studyUid: '1.1', seriesUid: '' });
    expect(validChoice(studies, 'gone', '1.2.99999999')).toEqual({ studyUid: '', seriesUid: '1.2.99999999' });
    expect(validChoice([], '1.1', '1.1.1')).toEqual({ studyUid: '', seriesUid: '' });
  });

  it('the query carries study and series, and DICOM adds its sort order', () => {
    const q: DatasetQuery = { project: '/p', dataset: 'd', runId: undefined, search: '', label: '', sort: 'series', descending: false };
    expect(imagesParams(q, 0, 10)).toEqual({ project: '/p', dataset: 'd', sort: 'series', descending: false, offset: 0, limit: 10 });
    expect(imagesParams({ ...q, studyUid: '1.1', seriesUid: '1.1.1' }, 0, 10)).toMatchObject({ studyUid: '1.1', seriesUid: '1.1.1' });
    expect(queryKey({ ...q, studyUid: '1.1' })).not.toBe(queryKey(q));
    expect(queryKey({ ...q, studyUid: '' })).toBe(queryKey(q));
    expect(sortKeys(false, [], true)).toEqual(['path', 'label', 'series']);
    expect(sortKeys(true, ['m'], true)).toEqual(['path', 'label', 'series', 'predicted', 'confidence', 'm']);
    expect(sortKeys(false, [])).toEqual(['path', 'label']);
  });
});
