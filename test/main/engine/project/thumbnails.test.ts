import { mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import type { Thumbnail } from '../../../../src/shared/contract/project';
import { pngSize } from '../../../../src/main/engine/project/thumbnails';
import { testApi } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/tiny-models';
import { failure } from '../../../helpers/failure';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');

function image(t: Thumbnail): Extract<Thumbnail, { data: Uint8Array }> {
  if ('error' in t) throw new Error(`expected a thumbnail of ${t.path}, got: ${t.error}`);
  return t;
}

describe('datasets.thumbnails and images.open from a project', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  const data = tempDir('lumen-data-');
  const project = join(tempDir(), 'p');
  const cache = join(project, 'artifacts', 'thumbnails');
  beforeAll(async () => {
    ({ api, close } = testApi());
    mkdirSync(join(data, 'cats'));
    // 300 x 200, left half red, right half blue; and a 16-bit grey PNG, 40 x 100.
    const wide = Buffer.alloc(300 * 200 * 3);
    for (let p = 0; p < 300 * 200; p++) wide[p * 3 + ((p % 300) < 150 ? 0 : 2)] = 255;
    await sharp(wide, { raw: { width: 300, height: 200, channels: 3 } }).png().toFile(join(data, 'cats', 'wide.png'));
    await sharp(Buffer.alloc(40 * 100 * 2, 0x80), { raw: { width: 40, height: 100, channels: 1 } }).toColourspace('grey16').png().toFile(join(data, 'tall16.png'));
    await sharp(Buffer.alloc(20 * 10 * 3, 90), { raw: { width: 20, height: 10, channels: 3 } }).jpeg().toFile(join(data, 'cats', 'small.jpg'));
    await api.call('projects.open', { path: project, create: true });
    await api.call('datasets.import', { project, dataset: 'd', folder: data });
  });
  afterAll(() => close());

  it('PNG thumbnails whose longer side is the size asked for, in the order asked for', async () => {
    const thumbs = await api.call('datasets.thumbnails', { project, dataset: 'd', paths: ['tall16.png', 'cats/wide.png', 'cats/small.jpg'], size: 64 });
    expect(thumbs.map((t) => t.path)).toEqual(['tall16.png', 'cats/wide.png', 'cats/small.jpg']);
    const [tall, wide, small] = thumbs.map(image);
    expect([tall!.width, tall!.height, wide!.width, wide!.height, small!.width, small!.height]).toEqual([26, 64, 64, 43, 64, 32]);
    for (const t of [tall!, wide!, small!]) {
      expect(t.mime).toBe('image/png');
      const meta = await sharp(t.data).metadata();
      expect([meta.format, meta.width, meta.height, meta.depth]).toEqual(['png', t.width, t.height, 'uchar']);
    }
    // The pixels are the image's: red on the left, blue on the right.
    const { data: pixels, info } = await sharp(wide!.data).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => Array.from(pixels.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3));
    expect(at(5, 20)).toEqual([255, 0, 0]);
    expect(at(58, 20)).toEqual([0, 0, 255]);
    // The default size is 128.
    expect(image((await api.call('datasets.thumbnails', { project, dataset: 'd', paths: ['cats/wide.png'] }))[0]!).width).toBe(128);
  });

  it('are cached on disk per file and size, and made again when the file changes', async () => {
    const before = readdirSync(cache).length;
    const first = image((await api.call('datasets.thumbnails', { project, dataset: 'd', paths: ['cats/small.jpg'], size: 40 }))[0]!);
    const files = readdirSync(cache);
    expect(files.length).toBe(before + 1);
    const cached = files.find((f) => f.endsWith('-40.png'))!;
    // A cached thumbnail is served as it is on disk: overwrite it with a marker to see it used.
    const marker = await sharp(Buffer.alloc(3 * 3 * 3, 7), { raw: { width: 3, height: 3, channels: 3 } }).png().toBuffer();
    writeFileSync(join(cache, cached), marker);
    const again = image((await api.call('datasets.thumbnails', { project, dataset: 'd', paths: ['cats/small.jpg'], size: 40 }))[0]!);
    expect([again.width, again.height]).toEqual([3, 3]);
    expect(readdirSync(cache).length).toBe(before + 1);
    // A changed file (new modification time) gets a new thumbnail.
    const file = join(data, 'cats', 'small.jpg');
    const later = new Date(statSync(file).mtimeMs + 5000);
    utimesSync(file, later, later);
    const fresh = image((await api.call('datasets.thumbnails', { project, dataset: 'd', paths: ['cats/small.jpg'], size: 40 }))[0]!);
    expect([fresh.width, fresh.height]).toEqual([first.width, first.height]);
    expect(readdirSync(cache).length).toBe(before + 2);
  });

  it('a missing or undecodable image is an error entry; the others still come back', async () => {
    writeFileSync(join(data, 'broken.png'), 'not an image');
    const thumbs = await api.call('datasets.thumbnails', { project, dataset: 'd', paths: ['gone.png', 'broken.png', 'cats', 'cats/wide.png'], size: 32 });
    expect(thumbs.slice(0, 3)).toEqual([
      { path: 'gone.png', error: 'the image file does not exist' },
      { path: 'broken.png', error: expect.stringMatching(/^could not be read as an image \(.+\)$/) },
      { path: 'cats', error: 'not a file' },
    ]);
    expect(image(thumbs[3]!).width).toBe(32);
  });

  it('a path that leaves the dataset root is refused, whatever else is asked', async () => {
    for (const path of ['../outside.png', 'cats/../../outside.png', '..', join(data, 'cats', 'wide.png')]) {
      const error = await failure(api.call('datasets.thumbnails', { project, dataset: 'd', paths: ['cats/wide.png', path] }));
      expect(error.code).toBe('invalid-argument');
      expect(error.message).toBe(`The path "${path}" is not inside the dataset "d".`);
    }
    // A path with `..` that stays inside is fine.
    expect(image((await api.call('datasets.thumbnails', { project, dataset: 'd', paths: ['cats/../tall16.png'], size: 16 }))[0]!).height).toBe(16);
    expect((await failure(api.call('datasets.thumbnails', { project, dataset: 'nope', paths: ['a.png'] }))).code).toBe('not-found');
    expect((await failure(api.call('datasets.thumbnails', { project, dataset: 'd', paths: [], size: 16 }))).code).toBe('invalid-request');
  });

  it('a cache that cannot be written costs speed, not the thumbnail', async () => {
    // The cache folder replaced by a file: nothing can be cached (as in a read-only project).
    const aside = `${cache}.aside`;
    renameSync(cache, aside);
    writeFileSync(cache, 'in the way');
    try {
      const thumbs = await api.call('datasets.thumbnails', { project, dataset: 'd', paths: ['cats/wide.png', 'gone.png'], size: 20 });
      expect(image(thumbs[0]!).width).toBe(20);
      expect(thumbs[1]).toEqual({ path: 'gone.png', error: 'the image file does not exist' });
    } finally {
      rmSync(cache);
      renameSync(aside, cache);
    }
  });

  it('images.open with source project: the dataset image by its relative path, like a file', async () => {
    const opened = await api.call('images.open', { source: 'project', project, dataset: 'd', path: 'cats/wide.png' });
    const asFile = await api.call('images.open', { source: 'file', path: join(data, 'cats', 'wide.png') });
    expect(opened).toMatchObject({ id: asFile.id, name: 'wide.png', width: 300, height: 200, format: 'png' });
    const escape = await failure(api.call('images.open', { source: 'project', project, dataset: 'd', path: '../secret.png' }));
    expect(escape.code).toBe('invalid-argument');
    expect(escape.message).toBe('The path "../secret.png" is not inside the dataset "d".');
    expect((await failure(api.call('images.open', { source: 'project', project, dataset: 'd', path: 'gone.png' }))).code).toBe('not-found');
    expect((await failure(api.call('images.open', { source: 'project', project, dataset: 'x', path: 'cats/wide.png' }))).message).toMatch(/no dataset "x"/);
    expect((await failure(api.call('images.open', { source: 'project', project: tempDir(), dataset: 'd', path: 'a.png' }))).message).toMatch(/not a Lumen project/);
  });

  it('pngSize reads a PNG header and rejects anything else', () => {
    expect(pngSize(new Uint8Array([1, 2, 3]))).toBeUndefined();
    expect(pngSize(new Uint8Array(40))).toBeUndefined();
  });
});
