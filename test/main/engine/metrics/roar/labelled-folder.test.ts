import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLabelledFolder, splitTrainTest } from '../../../../../src/main/engine/metrics/roar/labelled-folder';
import { tempDir } from '../../../../helpers/tiny-models';

function folder(files: string[]): string {
  const dir = tempDir();
  for (const f of files) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), '');
  }
  return dir;
}

describe('labelled folders for ROAR', () => {
  it('sub-folders are the classes, sorted; images below them carry their label', async () => {
    const dir = folder(['pneumonia/a.png', 'normal/b.png', 'normal/x/c.png', 'pneumonia/d.png']);
    const { labels, images } = await readLabelledFolder(dir);
    expect(labels).toEqual(['normal', 'pneumonia']);
    expect(images).toEqual([
      { path: 'normal/b.png', label: 0 },
      { path: 'normal/x/c.png', label: 0 },
      { path: 'pneumonia/a.png', label: 1 },
      { path: 'pneumonia/d.png', label: 1 },
    ]);
  });

  it('a folder without labels, with one class, or with a class of one image is a clear error', async () => {
    await expect(readLabelledFolder(folder(['a.png', 'b.png']))).rejects.toThrow(/no labelled images: ROAR needs one sub-folder per class/);
    await expect(readLabelledFolder(folder(['cat/a.png', 'cat/b.png']))).rejects.toThrow(/at least two classes/);
    await expect(readLabelledFolder(folder(['cat/a.png', 'cat/b.png', 'dog/c.png']))).rejects.toThrow(/Class "dog" has 1 image/);
    await expect(readLabelledFolder(folder(['cat/a.png', 'cat/b.png', 'dog/c.png', 'dog/d.png', 'loose.png']))).rejects.toThrow(/not in a class sub-folder \(e\.g\. loose\.png\)/);
  });

  it('the split keeps every class in train and test, reproducibly', () => {
    const images = Array.from({ length: 23 }, (_, i) => ({ id: i, label: i % 3 }));
    const a = splitTrainTest(images, 0.2, 1);
    expect(a).toEqual(splitTrainTest(images, 0.2, 1));
    for (const label of [0, 1, 2]) {
      expect(a.test.filter((i) => i.label === label).length).toBeGreaterThanOrEqual(1);
      expect(a.train.filter((i) => i.label === label).length).toBeGreaterThanOrEqual(1);
    }
    expect(a.train.length + a.test.length).toBe(23);
  });
});
