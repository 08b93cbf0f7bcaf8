import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { sniffImageFormat } from '../../../../src/main/engine/image/image-errors';
import { testApi } from '../../../helpers/engine';
import { failure } from '../../../helpers/failure';
import { tempDir } from '../../../helpers/tiny-models';

const coffee = new URL('../../../../resources/samples/coffee.png', import.meta.url).pathname;

describe('images that cannot be used say why, by name', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let dir: string;
  beforeAll(() => {
    ({ api, close } = testApi());
    dir = tempDir();
  });
  afterAll(() => close());

  it.each([
    ['PNG', 'png'],
    ['JPEG', 'jpeg'],
    ['TIFF', 'tiff'],
    ['WebP', 'webp'],
  ] as const)('a %s file cut short after its header is "damaged or truncated"', async (format, encoder) => {
    const whole = await sharp(coffee).resize(256, 256).toFormat(encoder).toBuffer();
    expect(sniffImageFormat(whole)).toBe(format);
    const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
    const path = join(dir, `cut.${encoder}`);
    writeFileSync(path, cut);
    const error = await failure(api.call('images.open', { source: 'file', path }));
    expect(error.code).toBe('invalid-image');
    expect(error.message).toContain(`"cut.${encoder}"`);
    expect(error.message).toContain(`the ${format} file is damaged or truncated`);
    expect(error.hint).toMatch(/again from its source/);
  });

  it('a file that is no image at all is not called damaged', async () => {
    const error = await failure(api.call('images.open', { source: 'bytes', name: 'notes.png', data: new TextEncoder().encode('meeting notes') }));
    expect(error.code).toBe('invalid-image');
    expect(error.message).not.toMatch(/damaged/);
    expect(error.hint).toMatch(/JPEG, PNG, WebP, TIFF or DICOM/);
  });

  it('a file name with a newline keeps the error on one line', async () => {
    const error = await failure(api.call('images.open', { source: 'bytes', name: 'scan\nERROR: forged.png', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) }));
    expect(error.describe()).not.toMatch(/\n/);
    expect(error.message).toContain('"scan\\nERROR: forged.png"');
  });

  it('a folder given as an image', async () => {
    const folder = join(dir, 'scans');
    mkdirSync(folder);
    const error = await failure(api.call('images.open', { source: 'file', path: folder }));
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toBe(`${folder} is a folder, not an image file.`);
    expect(error.hint).toMatch(/one image file inside it/);
  });

  it('a missing file', async () => {
    const error = await failure(api.call('images.open', { source: 'file', path: join(dir, 'none.png') }));
    expect(error.code).toBe('not-found');
    expect(error.message).toContain('none.png');
  });
});
