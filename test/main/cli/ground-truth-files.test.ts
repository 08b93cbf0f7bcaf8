import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBoxes, readMask } from '../../../src/main/cli/ground-truth-files';
import { failure } from '../../helpers/failure';
import { tempDir } from '../../helpers/tiny-models';

describe('ground-truth files given to lumen evaluate', () => {
  const dir = tempDir();

  it('reads boxes as a list or under "boxes"', async () => {
    const path = join(dir, 'b.json');
    writeFileSync(path, JSON.stringify({ boxes: [{ x0: 1, y0: 2, x1: 3, y1: 4 }] }));
    expect(await readBoxes(path)).toEqual([{ x0: 1, y0: 2, x1: 3, y1: 4 }]);
  });

  it('a boxes file that is not JSON: where it breaks, never what it holds', async () => {
    const path = join(dir, 'secret.json');
    writeFileSync(path, 'root:x:0:0:root:/root:/bin/bash\n');
    const error = await failure(readBoxes(path));
    expect(error.message).toMatch(new RegExp(`^The boxes file ${path} is not valid JSON( \\(line 1, column \\d+\\))?\\.$`));
    expect(error.describe()).not.toMatch(/root:x|bash/);
  });

  it('a folder, or a missing file, given as boxes or mask', async () => {
    const folder = join(dir, 'truth');
    mkdirSync(folder);
    expect(await failure(readBoxes(folder))).toMatchObject({ code: 'invalid-argument', message: `The boxes file ${folder} is a folder, not a file.` });
    expect(await failure(readMask(folder))).toMatchObject({ code: 'invalid-argument', message: `The mask image ${folder} is a folder, not a file.` });
    expect(await failure(readMask(join(dir, 'none.png')))).toMatchObject({ code: 'not-found', message: `The mask image ${join(dir, 'none.png')} does not exist.` });
  });

  it('a mask that is no image says so with the file and what to give', async () => {
    const path = join(dir, 'mask.png');
    writeFileSync(path, 'not an image');
    const error = await failure(readMask(path));
    expect(error.message).toMatch(new RegExp(`^Cannot read the mask image ${path} \\(.+\\)\\.$`));
    expect(error.hint).toBe('Give a PNG the size of the model input, non-zero where the object is.');
  });
});
