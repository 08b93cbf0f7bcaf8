import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/tiny-models';
import { lumen } from '../../helpers/run-lumen';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');
process.env['LUMEN_CACHE_DIR'] = join(tempDir(), 'cache');

const twoFrames = new URL('../../fixtures/dicom/folder/P2/other/two-frames.dcm', import.meta.url).pathname;

describe('--frame N: the frame of a multi-frame DICOM file the model sees', () => {
  it('classify says which frame it read without --frame, and reads another with it', async () => {
    const first = await lumen('classify', '--image', twoFrames, '--json');
    expect(first.code, first.err).toBe(0);
    expect(first.err).toMatch(/note: .*frame/i);
    const second = await lumen('classify', '--image', twoFrames, '--frame', '2', '--json');
    expect(second.code, second.err).toBe(0);
    const p = (r: { out: string }): number[] => (JSON.parse(r.out) as { predictions: Array<{ probability: number }> }).predictions.map((x) => x.probability);
    expect(p(second)).not.toEqual(p(first));
  });

  it('refuses frame 0 and a frame the file does not have', async () => {
    const zero = await lumen('classify', '--image', twoFrames, '--frame', '0');
    expect(zero.code).not.toBe(0);
    expect(zero.err).toMatch(/--frame/);
    const missing = await lumen('classify', '--image', twoFrames, '--frame', '3');
    expect(missing.code).not.toBe(0);
    expect(missing.err).toMatch(/frame/i);
  });
});
