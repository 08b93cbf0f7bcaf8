import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../../src/shared/contract/api';
import { chooseFolderLayout } from '../../../../../src/main/engine/project/import/folder-layout';
import { testApi } from '../../../../helpers/engine';
import { tempDir } from '../../../../helpers/tiny-models';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');

const dicomFolder = join(import.meta.dirname, '../../../../fixtures/dicom/folder');
const samples = join(import.meta.dirname, '../../../../../resources/samples');

describe('datasets.import reads a folder of DICOM files as DICOM (the app imports what lumen import --dicom does)', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  beforeAll(() => ({ api, close } = testApi()));
  afterAll(() => close());

  it('detects a folder whose image files are all DICOM, and keeps sub-folders as labels otherwise', async () => {
    expect(await chooseFolderLayout(dicomFolder)).toBe('dicom');
    expect(await chooseFolderLayout(dicomFolder, 'labelled-folders')).toBe('labelled-folders');
    const mixed = tempDir('lumen-mixed-');
    mkdirSync(join(mixed, 'a'));
    copyFileSync(join(dicomFolder, 'P1/study1/series1/IM1.dcm'), join(mixed, 'a', 'IM1.dcm'));
    expect(await chooseFolderLayout(mixed)).toBe('dicom');
    const png = (await import('node:fs')).readdirSync(samples).find((name) => name.endsWith('.png') || name.endsWith('.jpg'));
    expect(png).toBeDefined();
    copyFileSync(join(samples, png!), join(mixed, 'a', png!));
    expect(await chooseFolderLayout(mixed)).toBe('labelled-folders');
    expect(await chooseFolderLayout(tempDir('lumen-empty-'))).toBe('labelled-folders');
  });

  it('imports a PACS-style folder grouped by study and series, with no patient folder taken as a label', async () => {
    const project = join(tempDir(), 'Chest');
    await api.call('projects.open', { path: project, create: true });
    const imported = await api.call('datasets.import', { project, dataset: 'pacs', folder: dicomFolder });
    // Two patients from our samples plus pydicom's two-frame file (a third patient).
    expect(imported.dicom).toMatchObject({ patients: 3, studies: 3, series: 4 });
    expect(imported.dicom!.studies).toBeGreaterThanOrEqual(2);
    expect(imported.images.added).toBe(imported.dicom!.images);
    // The structured report and the RT plan have no image: listed, not dropped silently.
    expect(imported.problems.map((p) => p.where).join(' ')).toMatch(/report\.dcm/);
    expect(imported.problems.map((p) => p.where).join(' ')).toMatch(/plan\.dcm/);
    const page = await api.call('datasets.images', { project, dataset: 'pacs', limit: 50 });
    expect(page.rows.length).toBe(imported.images.added);
    for (const image of page.rows) expect(image.label ?? null).toBeNull();

    const labelled = await api.call('datasets.import', { project, dataset: 'by-folder', folder: dicomFolder, layout: 'labelled-folders' });
    expect(labelled.dicom).toBeUndefined();
    const labels = new Set((await api.call('datasets.images', { project, dataset: 'by-folder', limit: 50 })).rows.map((i) => i.label));
    expect(labels).toEqual(new Set(['P1', 'P2']));
  });

  it('refuses an unknown layout with the field named', async () => {
    await expect(api.call('datasets.import', { project: join(tempDir(), 'X'), dataset: 'd', folder: dicomFolder, layout: 'pacs' as never })).rejects.toThrow(/layout/);
  });
});
