import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listImages } from '../../../../src/main/engine/image/list-images';
import { tempDir } from '../../../helpers/tiny-models';

describe('listing a folder of images', () => {
  it('finds images recursively in sorted order, skipping hidden files, masks and other files', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'cats'));
    mkdirSync(join(dir, '.cache'));
    for (const f of ['b.png', 'a.JPG', 'cats/c.webp', 'cats/c.mask.png', 'notes.txt', '.hidden.png', '.cache/x.png', 'scan.tiff']) writeFileSync(join(dir, f), '');
    expect(await listImages(dir)).toEqual(['a.JPG', 'b.png', 'cats/c.webp', 'scan.tiff']);
  });

  it('a missing folder, or a file given as the folder, is a clear error', async () => {
    await expect(listImages('/no/such/folder')).rejects.toMatchObject({ code: 'not-found', message: 'The folder /no/such/folder does not exist.', hint: 'Check the path; give a folder of images.' });
    const file = join(tempDir(), 'a.png');
    writeFileSync(file, '');
    await expect(listImages(file)).rejects.toMatchObject({ code: 'invalid-argument', message: `${file} is a file, not a folder.` });
  });
});
