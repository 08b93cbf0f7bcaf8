import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCsv } from '../../../../src/main/engine/project/dataset-import';
import { findingsLabel, parseFindingsLabel } from '../../../../src/main/engine/project/multilabel-labels';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { tempDir } from '../../../helpers/tiny-models';

const findings = ['Atelectasis', 'Effusion', 'Nodule'];

describe('multi-label labels', () => {
  it('name the present findings with |, unknown ones with ?, and "No Finding" for none', () => {
    expect(findingsLabel([{ finding: 'Effusion', value: 'present' }, { finding: 'Nodule', value: 'unknown' }, { finding: 'Atelectasis', value: 'absent' }])).toBe('Effusion|?Nodule');
    expect(findingsLabel([{ finding: 'Effusion', value: 'absent' }])).toBe('No Finding');
  });

  it('read back against the model’s findings, ignoring case; the rest are absent; unknown names are listed', () => {
    expect(parseFindingsLabel('effusion |?Nodule', findings)).toEqual({ truth: ['absent', 'present', 'unknown'], unmatched: [] });
    expect(parseFindingsLabel('No Finding', findings)).toEqual({ truth: ['absent', 'absent', 'absent'], unmatched: [] });
    expect(parseFindingsLabel('Mass|Effusion', findings)).toEqual({ truth: ['absent', 'present', 'absent'], unmatched: ['Mass'] });
    expect(parseFindingsLabel(null, findings).truth).toEqual(['unknown', 'unknown', 'unknown']);
  });
});

describe('a findings CSV', () => {
  it('imports 0/1/blank (and CheXpert’s -1 as unknown) and reports each bad row with its line', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'img'));
    const png = new URL('../../../fixtures/multilabel/dataset/img00.png', import.meta.url).pathname;
    for (const name of ['a.png', 'b.png', 'c.png', 'd.png']) copyFileSync(png, join(root, 'img', name));
    const csv = join(root, 'truth.csv');
    writeFileSync(csv, ['path,Atelectasis,Effusion,Nodule,split', 'img/a.png,1,,0,train', 'img/b.png,0,-1,1,', 'img/c.png,yes,0,0,', 'img/d.png,1,0', 'img/e.png,0,0,0,'].join('\n'));
    const store = ProjectStore.open(join(root, 'project'), { create: true });
    try {
      const report = await importCsv(store, 'chest', csv, root);
      expect(report.images.added).toBe(2);
      expect(report.problems.map((p) => [p.where, p.reason])).toEqual([
        ['truth.csv line 4', '"yes" for Atelectasis is not 1 (present), 0 (absent) or blank (unknown)'],
        ['truth.csv line 5', 'expected 5 fields as in the header (path, 3 findings, split) but found 3'],
        ['truth.csv line 6', expect.stringContaining('does not exist')],
      ]);
      const rows = store.db.prepare('SELECT path, label, split FROM images ORDER BY path').all();
      expect(rows).toEqual([
        { path: 'img/a.png', label: 'Atelectasis|?Effusion', split: 'train' },
        { path: 'img/b.png', label: 'Nodule|?Effusion', split: null },
      ]);
    } finally {
      store.close();
    }
  });
});
