import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStatic } from '../../../src/main/bridge/static-files';
import { tempDir } from '../../helpers/tiny-models';

describe('readStatic serves only the files of the built renderer', () => {
  const outside = tempDir('lumen-outside-');
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  const root = tempDir('lumen-static-');
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<title>Lumen</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'x');
  symlinkSync(join(outside, 'secret.txt'), join(root, 'assets', 'leak.js'));
  symlinkSync(outside, join(root, 'assets', 'out'));

  it('its own files, with their type', async () => {
    expect(await readStatic(root, '/index.html')).toMatchObject({ type: 'text/html; charset=utf-8' });
    expect((await readStatic(root, '/assets/app.js'))?.body.toString()).toBe('x');
  });

  it('nothing outside: "..", encoded "..", absolute-looking paths and links that point out', async () => {
    for (const path of ['/../secret.txt', '/..%2f..%2fetc%2fpasswd', '/assets/../../x', '/assets/leak.js', '/assets/out/secret.txt', '/%00', '/%E0%A4%A']) {
      expect(await readStatic(root, path)).toBeNull();
    }
  });
});
