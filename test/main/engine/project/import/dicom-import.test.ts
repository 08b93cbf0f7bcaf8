import { cpSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDicomdir, importDicomFolder, importFolder, importLabels } from '../../../../../src/main/engine/project/dataset-import';
import { ProjectStore } from '../../../../../src/main/engine/project/project-store';
import { tempDir } from '../../../../helpers/tiny-models';

const fixtures = join(__dirname, '../../../../fixtures/dicom');
const folder = join(fixtures, 'folder');
const UID = '2.25.31415926535897932384626433832795';
const project = (): ProjectStore => ProjectStore.open(join(tempDir(), 'p'), { create: true });

interface Instance {
  path: string;
  label: string | null;
  width: number;
  height: number;
  sop: string | null;
  study: string | null;
  series: string | null;
  patient: string | null;
  seriesNumber: number | null;
  instanceNumber: number | null;
  modality: string | null;
  seriesDescription: string | null;
  frames: number;
}

function instances(store: ProjectStore): Instance[] {
  return store.db
    .prepare(
      `SELECT i.path, i.label, i.width, i.height, d.sop_instance_uid AS sop, d.study_instance_uid AS study, d.series_instance_uid AS series,
         d.patient_id AS patient, d.series_number AS seriesNumber, d.instance_number AS instanceNumber, d.modality, d.series_description AS seriesDescription, d.frames
       FROM images i LEFT JOIN dicom_instances d ON d.image_id = i.id ORDER BY i.path`,
    )
    .all() as unknown as Instance[];
}

describe('importing a folder of DICOM files', () => {
  it('imports every DICOM image by content (with or without .dcm) and keeps its patient, study, series, instance and frames', async () => {
    const store = project();
    const report = await importDicomFolder(store, 'dx', folder);
    expect(report.images).toEqual({ added: 6, updated: 0, unchanged: 0 });
    const rows = instances(store);
    expect(rows.map((r) => r.path)).toEqual([
      'P1/study1/series1/IM1.dcm',
      'P1/study1/series1/IM2.dcm',
      'P1/study1/series2/IM1',
      'P2/other/two-frames.dcm',
      'P2/study2/series1/IM1.dcm',
      'P2/study2/series1/IM2.dcm',
    ]);
    expect(rows[2]).toEqual({
      path: 'P1/study1/series2/IM1',
      label: null,
      width: 48,
      height: 40,
      sop: `${UID}.1.2.1`,
      study: `${UID}.1`,
      series: `${UID}.1.2`,
      patient: 'LUMEN-P1',
      seriesNumber: 2,
      instanceNumber: 1,
      modality: 'DX',
      seriesDescription: 'Lateral',
      frames: 1,
    });
    // A multi-frame file is one image (its first frame is what Lumen reads) with its frame count kept.
    expect(rows[3]).toMatchObject({ width: 100, height: 100, frames: 2, modality: 'OT', patient: 'ID1' });
    expect(report.dicom).toEqual({ patients: 3, studies: 3, series: 4, images: 6, multiFrame: 1 });
    store.close();
  });

  it('lists every file it does not import with the reason: no pixel data (SR, RT plan) or not DICOM', async () => {
    const store = project();
    const { problems } = await importDicomFolder(store, 'dx', folder);
    expect(problems.map((p) => p.where)).toEqual(['P2/other/plan.dcm', 'P2/other/report.dcm', 'notes.txt']);
    expect(problems[0]!.reason).toMatch(/RT Plan with no pixel data/);
    expect(problems[1]!.reason).toMatch(/Structured Report with no pixel data/);
    expect(problems[2]!.reason).toMatch(/not a DICOM file/);
    expect(problems.every((p) => !p.kept)).toBe(true);
    store.close();
  });

  it('is idempotent, and a re-import keeps the labels given since', async () => {
    const store = project();
    await importDicomFolder(store, 'dx', folder);
    const csv = join(tempDir(), 'labels.csv');
    writeFileSync(csv, `${UID}.1.1.1,effusion\n`);
    expect(importLabels(store, 'dx', csv).images).toEqual({ added: 0, updated: 1, unchanged: 0 });
    const again = await importDicomFolder(store, 'dx', folder);
    expect(again.images).toEqual({ added: 0, updated: 0, unchanged: 6 });
    expect(instances(store).find((r) => r.path === 'P1/study1/series1/IM1.dcm')?.label).toBe('effusion');
    expect(store.db.prepare('SELECT count(*) AS n FROM dicom_instances').get()).toMatchObject({ n: 6 });
    store.close();
  });

  it('takes no label from folder names, and a symbolic link out of the folder is refused', async () => {
    const data = tempDir('lumen-dicom-');
    cpSync(join(folder, 'P1'), join(data, 'P1'), { recursive: true });
    const outside = tempDir('lumen-outside-');
    cpSync(join(folder, 'P2/study2/series1/IM1.dcm'), join(outside, 'secret.dcm'));
    symlinkSync(join(outside, 'secret.dcm'), join(data, 'link.dcm'));
    const store = project();
    const report = await importDicomFolder(store, 'dx', data);
    expect(report.images.added).toBe(3);
    expect(report.problems).toEqual([{ where: 'link.dcm', reason: 'the path link.dcm is outside the dataset root' }]);
    expect(instances(store).every((r) => r.label === null)).toBe(true);
    store.close();
  });

  it('a folder import (sub-folder = label) reads .dcm files as DICOM too', async () => {
    const data = tempDir('lumen-dicom-');
    mkdirSync(join(data, 'normal'));
    cpSync(join(folder, 'P1/study1/series1/IM1.dcm'), join(data, 'normal', 'a.dcm'));
    const store = project();
    const report = await importFolder(store, 'dx', data);
    expect(report.problems).toEqual([]);
    expect(instances(store)).toEqual([expect.objectContaining({ path: 'normal/a.dcm', label: 'normal', width: 48, height: 40, sop: `${UID}.1.1.1`, frames: 1 })]);
    store.close();
  });
});

describe('importing a DICOMDIR', () => {
  const dicomdir = join(fixtures, 'dicomdir', 'DICOMDIR');

  it('imports the files its records reference, grouped by their own patient, study and series', async () => {
    const store = project();
    const report = await importDicomdir(store, 'media', dicomdir);
    expect(report.problems).toEqual([]);
    expect(report.images).toEqual({ added: 31, updated: 0, unchanged: 0 });
    // pydicom's dicomdirtests: 3 patient folders (two share one Patient ID), 6 studies, 13 series of
    // 16 x 16 images (counted with pydicom from the files' own UIDs).
    expect(report.dicom).toEqual({ patients: 2, studies: 6, series: 13, images: 31, multiFrame: 0 });
    const first = instances(store).find((r) => r.path === '77654033/CR1/6154');
    expect(first).toMatchObject({ sop: '1.3.6.1.4.1.5962.1.1.0.0.0.1196527414.5534.0.11', modality: 'CR', width: 16, height: 16, seriesDescription: 'Cervical LAT' });
    expect((await importDicomdir(store, 'media', dicomdir)).images).toEqual({ added: 0, updated: 0, unchanged: 31 });
    store.close();
  });

  it('reads pydicom variants of the same DICOMDIR alike: records in reverse order, implicit VR, big endian, offsets removed', async () => {
    for (const variant of ['DICOMDIR-reordered', 'DICOMDIR-implicit', 'DICOMDIR-bigEnd']) {
      const store = project();
      const report = await importDicomdir(store, 'media', join(fixtures, 'dicomdir', variant));
      expect(report.problems, variant).toEqual([]);
      expect(report.dicom, variant).toEqual({ patients: 2, studies: 6, series: 13, images: 31, multiFrame: 0 });
      store.close();
    }
  });

  it('a DICOMDIR whose records cannot be read (pydicom nooffset variant: dicom-parser refuses it) falls back to the folder, said so', async () => {
    const store = project();
    const report = await importDicomdir(store, 'media', join(fixtures, 'dicomdir', 'DICOMDIR-nooffset'));
    expect(report.images.added).toBe(31);
    expect(report.dicom).toEqual({ patients: 2, studies: 6, series: 13, images: 31, multiFrame: 0 });
    expect(report.problems[0]).toEqual({ where: 'DICOMDIR-nooffset', reason: expect.stringMatching(/records cannot be read .* imported by their content instead/), kept: true });
    // The directory files themselves are listed, not images.
    expect(report.problems.slice(1).map((p) => p.where)).toEqual(['DICOMDIR', 'DICOMDIR-bigEnd', 'DICOMDIR-implicit', 'DICOMDIR-nooffset', 'DICOMDIR-reordered']);
    store.close();
  });

  it('a record pointing outside the folder or at a missing file is a problem of that record; a wrong UID is said and the file kept', async () => {
    const media = tempDir('lumen-media-');
    cpSync(join(fixtures, 'dicomdir'), media, { recursive: true });
    const bytes = readFileSync(join(media, 'DICOMDIR'));
    // Same-length edits of two Referenced File IDs and one Referenced SOP Instance UID in File.
    const replace = (from: string, to: string): void => {
      const at = bytes.indexOf(from);
      expect(at).toBeGreaterThan(0);
      expect(to.length).toBe(from.length);
      bytes.write(to, at, 'latin1');
    };
    replace('77654033\\CR1\\6154', '..\\..\\..\\etc\\pass');
    replace('77654033\\CR2\\6247', '77654033\\CR2\\9999');
    replace('1.3.6.1.4.1.5962.1.1.0.0.0.1196527414.5534.0.9', '1.3.6.1.4.1.5962.1.1.0.0.0.1196527414.5534.0.0');
    writeFileSync(join(media, 'DICOMDIR'), bytes);
    const store = project();
    const report = await importDicomdir(store, 'media', join(media, 'DICOMDIR'));
    expect(report.images.added).toBe(29);
    expect(report.problems).toEqual([
      { where: 'DICOMDIR record 4 (IMAGE)', reason: 'the path ../../../etc/pass is outside the dataset root' },
      { where: 'DICOMDIR record 6 (IMAGE) 77654033/CR2/9999', reason: expect.stringMatching(/77654033\/CR2\/9999 does not exist under/) },
      {
        where: 'DICOMDIR record 8 (IMAGE)',
        reason: "the DICOMDIR says 77654033/CR3/6278 holds SOP instance 1.3.6.1.4.1.5962.1.1.0.0.0.1196527414.5534.0.0 but the file holds 1.3.6.1.4.1.5962.1.1.0.0.0.1196527414.5534.0.9; imported with the file's own UIDs",
        kept: true,
      },
    ]);
    store.close();
  });

  it('finds the referenced files when the media holds them in other letter case (a CD mounted with lower-case names)', async () => {
    const media = tempDir('lumen-media-');
    cpSync(join(fixtures, 'dicomdir'), media, { recursive: true });
    renameSync(join(media, '98892003', 'MR700'), join(media, '98892003', 'mr700'));
    const store = project();
    const report = await importDicomdir(store, 'media', join(media, 'DICOMDIR'));
    expect(report.problems).toEqual([]);
    expect(report.images.added).toBe(31);
    expect(instances(store).filter((r) => r.path.startsWith('98892003/mr700/')).length).toBe(7);
    store.close();
  });

  it('a file that is not a DICOMDIR is refused in one line', async () => {
    const store = project();
    await expect(importDicomdir(store, 'media', join(folder, 'P1/study1/series1/IM1.dcm'))).rejects.toThrow(/IM1\.dcm is a DICOM file but not a DICOMDIR/);
    await expect(importDicomdir(store, 'media', join(folder, 'notes.txt'))).rejects.toThrow(/notes\.txt is not a DICOMDIR Lumen can read/);
    await expect(importDicomdir(store, 'media', join(folder, 'missing'))).rejects.toThrow(/The DICOMDIR .*missing does not exist/);
    store.close();
  });
});
