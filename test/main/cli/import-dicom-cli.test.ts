import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, lumenCli } from '../../helpers/built-app';
import { tempDir } from '../../helpers/tiny-models';

const lumen = (...args: string[]) => lumenCli({}, ...args);
const folder = 'test/fixtures/dicom/folder';
const dicomdir = 'test/fixtures/dicom/dicomdir/DICOMDIR';
const UID = '2.25.31415926535897932384626433832795';

describe('lumen import of DICOM', () => {
  beforeAll(() => ensureBuilt());

  it('--dicom imports a folder grouped by patient, study and series, and lists the files it skipped and why', () => {
    const project = join(tempDir(), 'study');
    const r = lumen('import', '--project', project, '--create', '--dataset', 'dx', '--dicom', folder);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('dx: images 6 added, 0 updated, 0 unchanged; annotations 0 added, 0 unchanged');
    expect(lines[1]).toBe('  DICOM: 3 patient(s), 3 study(ies), 4 series, 6 image(s); 1 multi-frame (each one image: its first frame, with the frame count kept)');
    expect(lines.slice(2)).toEqual([
      expect.stringMatching(/^ {2}skipped P2\/other\/plan\.dcm: .*RT Plan with no pixel data/),
      expect.stringMatching(/^ {2}skipped P2\/other\/report\.dcm: .*Structured Report with no pixel data/),
      expect.stringMatching(/^ {2}skipped notes\.txt: not a DICOM file/),
    ]);
    // The patient ID stays in the project: the report never prints it.
    expect(r.stdout).not.toMatch(/LUMEN-P/);
  });

  it('--dicomdir with --labels: the referenced files, then labels keyed by SOP Instance UID (told from the values), unmatched rows reported', () => {
    const project = join(tempDir(), 'study');
    const labels = join(tempDir(), 'findings.csv');
    writeFileSync(labels, ['1.3.6.1.4.1.5962.1.1.0.0.0.1196527414.5534.0.11,fracture', '1.3.6.1.4.1.5962.1.1.0.0.0.1196527414.5534.0.7,normal,test', '1.2.3.4,normal'].join('\n'));
    const r = lumen('import', '--project', project, '--create', '--dataset', 'media', '--dicomdir', dicomdir, '--labels', labels, '--json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ dataset: 'media', images: { added: 31 }, problems: [], dicom: { patients: 2, studies: 6, series: 13, images: 31, multiFrame: 0 } });
    expect(report.labels).toEqual({
      dataset: 'media',
      images: { added: 0, updated: 2, unchanged: 0 },
      annotations: { added: 0, unchanged: 0 },
      problems: [{ where: 'findings.csv line 3', reason: 'no image of dataset "media" has SOP Instance UID 1.2.3.4' }],
      labelsKey: 'sop',
    });
  });

  it('--labels alone labels an imported dataset, keyed by file when asked', () => {
    const project = join(tempDir(), 'study');
    expect(lumen('import', '--project', project, '--create', '--dataset', 'dx', '--dicom', folder).code).toBe(0);
    const labels = join(tempDir(), 'labels.csv');
    writeFileSync(labels, `P1/study1/series2/IM1,lateral\n${UID}.1.1.1,pa\n`);
    const r = lumen('import', '--project', project, '--dataset', 'dx', '--labels', labels, '--labels-key', 'file');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      'dx: labels keyed by file path: 1 image(s) updated, 0 unchanged',
      `  skipped labels.csv line 2: no image of dataset "dx" has the path ${UID}.1.1.1; import the image first`,
    ]);
  });

  it('wrong combinations and sources are refused before a project is created', () => {
    const dir = tempDir();
    const project = join(dir, 'study');
    const both = lumen('import', '--project', project, '--create', '--dataset', 'x', '--dicom', folder, '--dicomdir', dicomdir);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give exactly one of/);
    const key = lumen('import', '--project', project, '--create', '--dataset', 'x', '--dicom', folder, '--labels-key', 'uid');
    expect(key.code).toBe(2);
    expect(key.stderr).toMatch(/labels-key.*sop.*file/s);
    const missing = lumen('import', '--project', project, '--create', '--dataset', 'x', '--dicomdir', join(dir, 'DICOMDIR'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/The DICOMDIR .*DICOMDIR does not exist\./);
    const notDir = lumen('import', '--project', project, '--create', '--dataset', 'x', '--dicom', dicomdir);
    expect(notDir.code).toBe(1);
    expect(notDir.stderr).toMatch(/The DICOM folder .* is a file, not a folder\./);
    expect(existsSync(project)).toBe(false);
  });
});
