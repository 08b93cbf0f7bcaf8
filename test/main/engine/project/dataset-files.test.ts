import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileInDataset } from '../../../../src/main/engine/project/dataset-files';
import { realPath } from '../../../../src/main/engine/paths/confine';
import { tempDir } from '../../../helpers/tiny-models';

describe('fileInDataset: the file of an image, really inside its dataset', () => {
  const outside = tempDir('lumen-outside-');
  writeFileSync(join(outside, 'secret.png'), 'secret');
  const root = tempDir('lumen-dataset-');
  mkdirSync(join(root, 'cats'));
  writeFileSync(join(root, 'cats', 'a.png'), 'x');
  symlinkSync(join(outside, 'secret.png'), join(root, 'cats', 'link.png'));
  symlinkSync(outside, join(root, 'elsewhere'));
  const dataset = { id: 1, name: 'pets', root };

  it('a path under the root is its real file', () => {
    expect(fileInDataset(dataset, 'cats/a.png')).toBe(join(realPath(root), 'cats', 'a.png'));
  });

  it.each(['../secret.png', '/etc/passwd', '.', 'cats/link.png', 'elsewhere/secret.png'])('%s is refused', (path) => {
    expect(() => fileInDataset(dataset, path)).toThrow(`The path "${path}" is not inside the dataset "pets".`);
  });
});
