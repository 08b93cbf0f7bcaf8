import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEnginePort } from '../../../../src/main/engine-host/local-engine';
import { createApi, type LumenApi } from '../../../../src/shared/contract/api';
import { PortTransport } from '../../../../src/shared/contract/port-transport';
import { failure } from '../../../helpers/failure';
import { tempDir } from '../../../helpers/tiny-models';

process.env['LUMEN_HOME'] = tempDir('lumen-import-door-home-');

const samples = join(import.meta.dirname, '../../../../resources/samples');

/**
 * Imports through the browser door's rule (the engine confined to what the page chose): typed paths
 * are full paths, a file is one an import reads, a preview grants nothing, an import grants its images.
 */
describe('datasets.import and projects.merge through the browser door', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  const data = tempDir('lumen-import-door-data-');
  const images = join(data, 'images');
  const csv = join(data, 'labels.csv');
  const study = join(tempDir('lumen-import-door-projects-'), 'study');

  beforeAll(async () => {
    mkdirSync(images);
    copyFileSync(join(samples, 'rocket.jpg'), join(images, 'rocket.jpg'));
    writeFileSync(csv, 'rocket.jpg,missile\nnot-there.jpg,cat\n');
    const local = localEnginePort({ graphCacheDir: null, confinePaths: true });
    api = createApi(new PortTransport(local.port));
    close = local.close;
    await api.call('projects.open', { path: study, create: true });
  });
  afterAll(() => close());

  it('refuses a relative path, a file that is not what the format reads, and a project the page has not opened', async () => {
    expect((await failure(api.call('datasets.import', { format: 'csv', project: study, dataset: 'd', csv: 'labels.csv', root: images, preview: true }))).message).toBe('The CSV file "labels.csv" is not a full path.');
    const passwd = await failure(api.call('datasets.import', { format: 'csv', project: study, dataset: 'd', csv: '/etc/passwd', root: '/', preview: true }));
    expect(passwd.message).toBe('The CSV file /etc/passwd is not a .csv (or .txt) file.');
    expect((await failure(api.call('datasets.import', { format: 'dicomdir', project: study, dataset: 'd', dicomdir: '/etc/hosts' }))).message).toBe('The DICOMDIR /etc/hosts is not a file named DICOMDIR.');
    expect((await failure(api.call('datasets.import', { format: 'coco', project: study, dataset: 'd', coco: csv, root: images }))).message).toMatch(/is not a \.json file/);
    const other = join(data, 'other');
    expect((await failure(api.call('datasets.import', { project: other, dataset: 'd', folder: images }))).message).toMatch(/has not been opened in this page/);
    expect((await failure(api.call('projects.merge', { project: other }))).message).toMatch(/has not been opened in this page/);
  });

  it('a preview reports the bad row and grants nothing; the import then makes its images readable', async () => {
    const preview = await api.call('datasets.import', { format: 'csv', project: study, dataset: 'd', csv, root: images, preview: true });
    expect(preview.images.added).toBe(1);
    expect(preview.problems).toEqual([{ where: 'labels.csv line 2', reason: expect.stringMatching(/^the image file not-there\.jpg does not exist under /) }]);
    expect((await api.call('projects.open', { path: study })).datasets).toEqual([]);
    await failure(api.call('images.open', { source: 'file', path: join(images, 'rocket.jpg') }));
    const imported = await api.call('datasets.import', { format: 'csv', project: study, dataset: 'd', csv, root: images });
    expect(imported).toEqual(preview);
    expect((await api.call('images.open', { source: 'file', path: join(images, 'rocket.jpg') })).name).toBe('rocket.jpg');
  });

  it('a merge of a project without shards says so', async () => {
    expect((await failure(api.call('projects.merge', { project: study }))).message).toMatch(/has no shards to merge/);
  });
});
