import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../src/shared/contract/api';
import { testApi } from '../../helpers/engine';
import { encodePng16 } from '../../helpers/png16';
import { tempDir, tinyClassifier, writeModel } from '../../helpers/tiny-models';
import { failure } from '../../helpers/failure';

const samples = new URL('../../../resources/samples/', import.meta.url);

describe('bad input gets one clear error, and the engine keeps working', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let dir: string;
  let modelId: string;

  beforeAll(async () => {
    ({ api, close } = testApi());
    dir = tempDir();
    modelId = (await api.call('models.open', {})).id;
  });
  afterAll(() => close());

  it('a missing model file', async () => {
    const error = await failure(api.call('models.open', { path: join(dir, 'nope.onnx') }));
    expect(error.code).toBe('not-found');
    expect(error.message).toContain('nope.onnx');
    expect(error.hint).toBeTruthy();
  });

  it('a file that is not ONNX', async () => {
    const path = join(dir, 'notes.onnx');
    writeFileSync(path, 'These are my meeting notes, not a neural network.\n');
    const error = await failure(api.call('models.open', { path }));
    expect(error.code).toBe('invalid-model');
    expect(error.message).toMatch(/notes\.onnx is not an ONNX model/);
    expect(error.hint).toMatch(/Export/);
  });

  it('an image file renamed to .onnx', async () => {
    const path = join(dir, 'photo.onnx');
    copyFileSync(new URL('coffee.png', samples), path);
    expect((await failure(api.call('models.open', { path }))).code).toBe('invalid-model');
  });

  it('a model whose input is not an image tensor', async () => {
    const model = tinyClassifier({ inputShape: [1, 3, 8, 8] });
    model.graph.inputs[0]!.shape = [1, 12];
    const error = await failure(api.call('models.open', { path: writeModel(dir, 'tabular.onnx', model) }));
    expect(error.code).toBe('unsupported-model');
    expect(error.message).toMatch(/not an image tensor/);
  });

  it('a card that contradicts the model', async () => {
    const path = writeModel(dir, 'tiny.onnx', tinyClassifier({ inputShape: [1, 3, 8, 8] }), {
      'tiny.card.json': JSON.stringify({ input: { width: 224 } }),
    });
    const error = await failure(api.call('models.open', { path }));
    expect(error.code).toBe('invalid-card');
    expect(error.message).toMatch(/input\.width is 224 but the model's input shape \[1, 3, 8, 8\] fixes it to 8/);
    expect(error.hint).toBe('Edit tiny.card.json.');
  });

  it('a card file that is not JSON, or has an unknown field', async () => {
    const broken = writeModel(dir, 'broken.onnx', tinyClassifier({ inputShape: [1, 3, 8, 8] }), { 'broken.card.json': '{ "input": ' });
    expect((await failure(api.call('models.open', { path: broken }))).message).toMatch(/broken\.card\.json is not valid JSON/);
    const typo = writeModel(dir, 'typo.onnx', tinyClassifier({ inputShape: [1, 3, 8, 8] }), { 'typo.card.json': '{ "preprocesing": {} }' });
    expect((await failure(api.call('models.open', { path: typo }))).message).toMatch(/preprocesing/);
  });

  it('a missing image file', async () => {
    const error = await failure(api.call('images.open', { source: 'file', path: join(dir, 'missing.png') }));
    expect(error.code).toBe('not-found');
  });

  it('a corrupt image (a truncated PNG)', async () => {
    const png = new Uint8Array(await sharp(new URL('coffee.png', samples).pathname).png().toBuffer());
    const error = await failure(api.call('images.open', { source: 'bytes', name: 'cut.png', data: png.subarray(0, 40) }));
    expect(error.code).toBe('invalid-image');
    expect(error.message).toMatch(/"cut\.png" could not be read as an image/);
  });

  it('a text file posing as an image', async () => {
    const error = await failure(api.call('images.open', { source: 'bytes', name: 'scan.jpg', data: new TextEncoder().encode('not an image at all') }));
    expect(error.code).toBe('invalid-image');
  });

  it('an unsupported image format (GIF)', async () => {
    const gif = new Uint8Array(await sharp({ create: { width: 4, height: 4, channels: 3, background: '#888' } }).gif().toBuffer());
    const error = await failure(api.call('images.open', { source: 'bytes', name: 'anim.gif', data: gif }));
    expect(error.message).toMatch(/GIF image, which Lumen does not open/);
  });

  it('a huge image (110 megapixels)', async () => {
    const png = new Uint8Array(await sharp({ create: { width: 11000, height: 10000, channels: 3, background: '#000' } }).png({ compressionLevel: 1 }).toBuffer());
    const error = await failure(api.call('images.open', { source: 'bytes', name: 'slide.png', data: png }));
    expect(error.code).toBe('image-too-large');
    expect(error.message).toMatch(/11000 x 10000 pixels \(110 MP\), above Lumen's limit of 100 MP/);
  });

  it('a grayscale image for an RGB model is converted, not refused', async () => {
    const image = await api.call('images.open', { source: 'bytes', name: 'gray.png', data: encodePng16(32, 32, 1, new Array(32 * 32).fill(30000)) });
    expect(image).toMatchObject({ channels: 1, bitDepth: 16 });
    const result = await api.call('classify', { modelId, imageId: image.id, topK: 1 });
    expect(result.predictions).toHaveLength(1);
  });

  it('unknown ids and out-of-range parameters', async () => {
    expect((await failure(api.call('classify', { modelId: 'nope', imageId: 'nope' }))).code).toBe('not-found');
    expect((await failure(api.call('images.open', { source: 'sample', sampleId: 'unicorn' }))).code).toBe('not-found');
    expect((await failure(api.call('classify', { modelId, imageId: 'x', topK: 0 }))).code).toBe('invalid-request');
  });

  it('after all that, the engine still classifies', async () => {
    const image = await api.call('images.open', { source: 'sample', sampleId: 'coffee' });
    const result = await api.call('classify', { modelId, imageId: image.id });
    expect(result.predictions[0]!.label).toBe('espresso');
  });
});
