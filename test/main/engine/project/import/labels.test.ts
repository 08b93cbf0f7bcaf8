import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDicomFolder, importLabels } from '../../../../../src/main/engine/project/dataset-import';
import { ProjectStore } from '../../../../../src/main/engine/project/project-store';
import { looksLikeUid } from '../../../../../src/main/engine/project/import/uid';
import { tempDir } from '../../../../helpers/tiny-models';

const folder = join(__dirname, '../../../../fixtures/dicom/folder');
const UID = '2.25.31415926535897932384626433832795';

async function dicomProject(): Promise<ProjectStore> {
  const store = ProjectStore.open(join(tempDir(), 'p'), { create: true });
  await importDicomFolder(store, 'dx', folder);
  return store;
}

function csv(lines: string[]): string {
  const file = join(tempDir(), 'labels.csv');
  writeFileSync(file, lines.join('\n'));
  return file;
}

function labels(store: ProjectStore): Record<string, [string | null, string | null]> {
  const rows = store.db.prepare('SELECT path, label, split FROM images ORDER BY path').all() as Array<{ path: string; label: string | null; split: string | null }>;
  return Object.fromEntries(rows.map((r) => [r.path, [r.label, r.split]]));
}

describe('labels from a CSV keyed by SOP Instance UID or file', () => {
  it('recognises a headerless CSV of UIDs that match the dataset as keyed by SOP Instance UID; unmatched keys are problem rows', async () => {
    const store = await dicomProject();
    const report = importLabels(store, 'dx', csv([`${UID}.1.1.1,effusion,train`, `${UID}.1.1.2 , normal`, `${UID}.2.1.2,normal,test`, `${UID}.9.9.9,normal`, '']));
    expect(report.labelsKey).toBe('sop');
    expect(report.images).toEqual({ added: 0, updated: 3, unchanged: 0 });
    expect(report.problems).toEqual([{ where: 'labels.csv line 4', reason: `no image of dataset "dx" has SOP Instance UID ${UID}.9.9.9` }]);
    expect(labels(store)).toMatchObject({
      'P1/study1/series1/IM1.dcm': ['effusion', 'train'],
      'P1/study1/series1/IM2.dcm': ['normal', null],
      'P1/study1/series2/IM1': [null, null],
      'P2/study2/series1/IM2.dcm': ['normal', 'test'],
    });
    // The same file again changes nothing.
    expect(importLabels(store, 'dx', csv([`${UID}.1.1.1,effusion,train`])).images).toEqual({ added: 0, updated: 0, unchanged: 1 });
    store.close();
  });

  it('a header names the key; one key given two labels is a problem naming both lines and neither is applied', async () => {
    const store = await dicomProject();
    const report = importLabels(store, 'dx', csv(['SOPInstanceUID,label,split', `${UID}.1.2.1,nodule`, `${UID}.2.1.1,normal,holdout`, `${UID}.1.2.1,mass`, 'x,y,z,w']));
    expect(report.labelsKey).toBe('sop');
    expect(report.images.updated).toBe(0);
    expect(report.problems).toEqual([
      { where: 'labels.csv line 2', reason: `conflicting rows for P1/study1/series2/IM1: "nodule" here but "mass" at labels.csv line 4; neither is imported, give the path once` },
      { where: 'labels.csv line 3', reason: 'split "holdout" is not train, val or test' },
      { where: 'labels.csv line 4', reason: `conflicting rows for P1/study1/series2/IM1: "mass" here but "nodule" at labels.csv line 2; neither is imported, give the path once` },
      { where: 'labels.csv line 5', reason: 'expected SOP Instance UID,label[,split] but found 4 field(s)' },
    ]);
    store.close();
  });

  it('paths are keys by file, detected or asked for; a path outside the dataset or not imported is a problem row', async () => {
    const store = await dicomProject();
    const report = importLabels(store, 'dx', csv(['P1/study1/series2/IM1,lateral', 'P2/study2/series1/IM1.dcm,knee', '../escape.dcm,x', 'P9/none.dcm,x']));
    expect(report.labelsKey).toBe('file');
    expect(report.images.updated).toBe(2);
    expect(report.problems).toEqual([
      { where: 'labels.csv line 3', reason: 'the path ../escape.dcm is outside the dataset root' },
      { where: 'labels.csv line 4', reason: 'no image of dataset "dx" has the path P9/none.dcm; import the image first' },
    ]);
    expect(labels(store)['P1/study1/series2/IM1']).toEqual(['lateral', null]);
    // Asked to key by file, UIDs match nothing: each is a problem row, nothing changes.
    const byFile = importLabels(store, 'dx', csv([`${UID}.1.1.1,effusion`]), 'file');
    expect(byFile.labelsKey).toBe('file');
    expect(byFile.problems).toEqual([{ where: 'labels.csv line 1', reason: `no image of dataset "dx" has the path ${UID}.1.1.1; import the image first` }]);
    expect(() => importLabels(store, 'other', csv(['a,b']))).toThrow(/There is no dataset "other"/);
    store.close();
  });

  it('tells UIDs from other text', () => {
    expect(looksLikeUid('1.2.840.10008.5.1.4.1.1.7')).toBe(true);
    expect(looksLikeUid(`${UID}.1.1.1`)).toBe(true);
    expect(looksLikeUid('1.3.6.1.4.1.5962.1.1.0.0.0.1196527414.5534.0.11')).toBe(true);
    for (const text of ['IM1.dcm', '1', '1.2.', '.1.2', '1..2', '1.2a', `1.${'2'.repeat(63)}`, 'P1/study1/IM1']) expect(looksLikeUid(text)).toBe(false);
  });
});
