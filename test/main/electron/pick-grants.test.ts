import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PickKind } from '../../../src/shared/contract/native-picks';
import { PathGrants } from '../../../src/main/electron/path-grants';
import { grantsForPick, pickDialogs } from '../../../src/main/electron/pick-grants';
import { tempDir } from '../../helpers/tiny-models';

describe('which native dialog picks grant which access', () => {
  it('files and folders to open are read; a project folder and a report file are write', () => {
    const access = Object.fromEntries(PickKind.options.map((kind) => [kind, grantsForPick(kind, ['/picked/x'])[0]?.access]));
    expect(access).toEqual({ model: 'read', 'model-card': 'read', image: 'read', project: 'write', 'dataset-folder': 'read', 'import-file': 'read', 'report-html': 'write', 'report-pdf': 'write' });
  });

  it('each pick shows the dialog that fits it: folders for a project and a dataset, a save dialog for a report', () => {
    expect(pickDialogs.project).toMatchObject({ dialog: 'open', properties: expect.arrayContaining(['openDirectory', 'createDirectory']) });
    expect(pickDialogs['dataset-folder'].properties).toEqual(['openDirectory']);
    for (const kind of ['model', 'model-card', 'image'] as const) expect(pickDialogs[kind]).toMatchObject({ dialog: 'open', properties: ['openFile'] });
    expect(pickDialogs['report-pdf']).toMatchObject({ dialog: 'save', filters: [{ extensions: ['pdf'] }] });
    expect(pickDialogs['report-html']).toMatchObject({ dialog: 'save', filters: [{ extensions: ['html'] }] });
    // No dialog hands the page several paths at once, and none opening files writes them.
    for (const kind of PickKind.options) {
      expect(pickDialogs[kind].properties).not.toContain('multiSelections');
      if (pickDialogs[kind].properties.includes('openFile')) expect(pickDialogs[kind].access).toBe('read');
    }
  });

  it('a cancelled dialog grants nothing, a path that is not full is never granted, and only the first path is', () => {
    expect(grantsForPick('image', [])).toEqual([]);
    expect(grantsForPick('image', ['rocket.jpg'])).toEqual([]);
    expect(grantsForPick('image', ['../etc/passwd'])).toEqual([]);
    expect(grantsForPick('dataset-folder', ['/data/a', '/etc'])).toEqual([{ type: 'allow-path', path: '/data/a', access: 'read' }]);
  });
});

describe('the grants the main process keeps', () => {
  it('are told again, once each and in order, to a fresh engine', () => {
    const grants = new PathGrants();
    grants.record({ type: 'allow-path', path: '/study', access: 'write' });
    grants.record({ type: 'allow-path', path: '/data/scans', access: 'read' });
    grants.record({ type: 'allow-path', path: '/study', access: 'write' });
    const sent: unknown[] = [];
    grants.replayTo({ postMessage: (m) => sent.push(m) });
    expect(sent).toEqual([
      { type: 'allow-path', path: '/study', access: 'write' },
      { type: 'allow-path', path: '/data/scans', access: 'read' },
    ]);
  });

  it('decide where the main process itself may write: a saved report\'s file, inside an opened project, nowhere else', () => {
    const home = tempDir();
    const study = join(home, 'study');
    const data = join(home, 'scans');
    mkdirSync(study);
    mkdirSync(data);
    symlinkSync(home, join(study, 'up'));
    writeFileSync(join(home, 'notes.txt'), 'x');
    const grants = new PathGrants();
    for (const g of [...grantsForPick('project', [study]), ...grantsForPick('dataset-folder', [data]), ...grantsForPick('report-pdf', [join(home, 'report.pdf')])]) grants.record(g);
    expect(grants.roots.writable(join(home, 'report.pdf'), 'The report file')).toBe(join(home, 'report.pdf'));
    expect(grants.roots.writable(join(study, 'reports', 'r.pdf'), 'The report file')).toBe(join(study, 'reports', 'r.pdf'));
    // Read is not write; a link inside the project that leads out of it does not get past.
    for (const refused of [join(data, 'r.pdf'), join(home, 'other.pdf'), join(study, 'up', 'notes.txt'), join(study, '..', 'r.pdf')]) {
      expect(() => grants.roots.writable(refused, 'The report file')).toThrow(/is outside the folders this page may write/);
    }
  });
});
