import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { confine, isWithin, realPath } from '../../../../src/main/engine/paths/confine';
import { tempDir } from '../../../helpers/tiny-models';

describe('confine: real paths before the containment check', () => {
  const outside = realPath(tempDir('lumen-outside-'));
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  const root = realPath(tempDir('lumen-root-'));
  mkdirSync(join(root, 'images'));
  writeFileSync(join(root, 'images', 'a.png'), 'x');
  symlinkSync(join(outside, 'secret.txt'), join(root, 'images', 'link.png'));
  symlinkSync(outside, join(root, 'escape'));
  symlinkSync(join(root, 'images'), join(outside, 'into-root'));

  it('keeps paths inside the root, relative or absolute, and answers with the real path', () => {
    expect(confine(root, 'images/a.png')).toBe(join(root, 'images', 'a.png'));
    expect(confine(root, join(root, 'images', 'a.png'))).toBe(join(root, 'images', 'a.png'));
    expect(confine(root, '.')).toBe(root);
    expect(confine(root, 'images/../images/a.png')).toBe(join(root, 'images', 'a.png'));
  });

  it('refuses climbing out, absolute paths elsewhere, and symbolic links that point out', () => {
    expect(confine(root, '../x.png')).toBeNull();
    expect(confine(root, 'images/../../x.png')).toBeNull();
    expect(confine(root, join(outside, 'secret.txt'))).toBeNull();
    expect(confine(root, 'images/link.png')).toBeNull();
    expect(confine(root, 'escape/secret.txt')).toBeNull();
  });

  it('judges a file that does not exist yet by its nearest existing parent', () => {
    expect(confine(root, 'images/new/deeper/b.png')).toBe(join(root, 'images', 'new', 'deeper', 'b.png'));
    expect(confine(root, 'escape/new/b.png')).toBeNull();
  });

  it('a link that loops is judged as spelled, never an unexpected error', () => {
    symlinkSync('loop', join(root, 'loop'));
    expect(confine(root, 'loop/x.png')).toBe(join(root, 'loop', 'x.png'));
    expect(confine(root, '../loop/x.png')).toBeNull();
  });

  it('a root given through a symbolic link is the folder it points to', () => {
    expect(confine(join(outside, 'into-root'), 'a.png')).toBe(join(root, 'images', 'a.png'));
    expect(confine(join(outside, 'into-root'), join(root, 'images', 'a.png'))).toBe(join(root, 'images', 'a.png'));
  });

  it('a name that only starts with two dots stays inside', () => {
    expect(isWithin('/data', '/data/..hidden')).toBe(true);
    expect(isWithin('/data', '/data2/x')).toBe(false);
    expect(isWithin('/data', '/')).toBe(false);
  });
});
