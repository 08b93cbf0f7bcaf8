import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, lumenCli } from '../../helpers/built-app';
import { blockCard, blockCases, blockLanding, blockModel, blockOriginal, landedRight } from '../../helpers/known-block';
import { tempDir, writeModel } from '../../helpers/tiny-models';

/** `lumen attribute --png` lays the map over the original where the model looked, for each resize mode. */
describe('lumen attribute --png: the overlay of a map with a known position', () => {
  const dir = tempDir();
  const env = { LUMEN_CACHE_DIR: join(dir, 'cache') };
  const image = join(dir, 'black.png');
  beforeAll(async () => {
    ensureBuilt();
    writeFileSync(image, await sharp({ create: { ...blockOriginal, channels: 3, background: '#000000' } }).png().toBuffer());
  });

  it.each(blockCases)('%s', async (name, resize, landing) => {
    const folder = tempDir();
    const model = writeModel(folder, 'block.onnx', blockModel(), { 'block.card.json': blockCard(resize) });
    const png = join(dir, `${name.replace(/\W+/g, '-')}.png`);
    const r = lumenCli(env, 'attribute', '--model', model, '--image', image, '--method', 'gradient', '--target', '0', '--out', join(dir, 'g.npy'), '--png', png, '--colormap', 'gray');
    expect(r.code, r.stderr).toBe(0);
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([blockOriginal.width, blockOriginal.height]);
    expect(blockLanding(new Uint8Array(data), info.width, info.height, landing)).toEqual(landedRight);
  });
});
