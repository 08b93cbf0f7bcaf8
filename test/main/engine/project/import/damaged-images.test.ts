import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFolder } from '../../../../../src/main/engine/project/import/folder';
import { ProjectStore } from '../../../../../src/main/engine/project/project-store';
import { datasetThumbnails } from '../../../../../src/main/engine/project/thumbnails';
import { tempDir } from '../../../../helpers/tiny-models';

describe('a damaged image inside a dataset', () => {
  it('is one problem line in Lumen words; the good image is imported and thumbnails of both come back', async () => {
    const data = join(tempDir('lumen-damaged-'), 'photos');
    mkdirSync(data);
    copyFileSync('resources/samples/coffee.png', join(data, 'good.png'));
    const jpeg = readFileSync('resources/samples/rocket.jpg');
    writeFileSync(join(data, 'cut.jpg'), jpeg.subarray(0, 400));
    writeFileSync(join(data, 'text.png'), 'not an image at all\nsecond line');
    const store = ProjectStore.open(join(tempDir('lumen-damaged-p-'), 'study'), { create: true });
    try {
      const report = await importFolder(store, 'd', data);
      expect(report.images.added).toBe(1);
      const byFile = new Map(report.problems.map((p) => [p.where, p.reason]));
      expect(byFile.get('cut.jpg')).toBe('the JPEG file is damaged or truncated; copy or export it again from its source');
      expect(byFile.get('text.png')).toBe('it is not an image Lumen reads; use JPEG, PNG, WebP or TIFF files');
      for (const p of report.problems) expect(p.reason).not.toMatch(/\n|vips|Input buffer/i);
      const thumbnails = await datasetThumbnails(store, { project: store.folder, dataset: 'd', paths: ['good.png', 'cut.jpg'], size: 64 });
      expect(thumbnails[0]).toMatchObject({ path: 'good.png', mime: 'image/png' });
      expect(thumbnails[1]).toMatchObject({ path: 'cut.jpg' });
      if ('error' in thumbnails[1]!) expect(thumbnails[1].error).not.toMatch(/\n/);
    } finally {
      store.close();
    }
  });
});
