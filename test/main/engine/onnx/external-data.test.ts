import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeModel } from '../../../../src/main/engine/onnx/encode';
import { readOnnxModel } from '../../../../src/main/engine/onnx/read-model';
import { failure } from '../../../helpers/failure';
import type { LumenApi } from '../../../../src/shared/contract/api';
import type { LumenError } from '../../../../src/shared/errors';
import { testApi } from '../../../helpers/engine';
import { linearImageModel } from '../../../helpers/image-models';
import { tempDir } from '../../../helpers/tiny-models';

describe('models with external weights (data_location EXTERNAL)', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  const weights = Array.from({ length: 48 }, (_, i) => Math.sin(i));

  beforeAll(() => ({ api, close } = testApi()));
  afterAll(() => close());

  /** The linear test model with W moved to `weights.bin` at a byte offset. */
  function writeExternal(dir: string, location = 'weights.bin', edit: (w: { dims: number[]; external?: { length: number | null } }) => void = () => {}): string {
    const model = linearImageModel(weights, [0, 0.5, 1], [1, 4, 4]);
    const w = model.graph.initializers.find((t) => t.name === 'W')!;
    const data = new Uint8Array(64 + w.raw!.length);
    data.set(w.raw!, 64);
    writeFileSync(join(dir, 'weights.bin'), data);
    delete w.raw;
    w.external = { location, offset: 64, length: data.length - 64 };
    edit(w);
    const path = join(dir, 'external.onnx');
    writeFileSync(path, encodeModel(model));
    writeFileSync(join(dir, 'external.card.json'), JSON.stringify({ preprocess: { resize: { mode: 'stretch' }, mean: [0], std: [1] } }));
    return path;
  }

  it('loads, classifies and differentiates through the external weights', async () => {
    const model = await api.call('models.open', { path: writeExternal(tempDir()) });
    const x = Float32Array.from({ length: 16 }, (_, i) => i / 16);
    const g = await api.call('attribute', { modelId: model.id, input: { kind: 'tensor', dims: [1, 1, 4, 4], data: x }, method: 'gradient', target: 2 });
    Array.from({ length: 16 }, (_, i) => weights[i * 3 + 2]!).forEach((v, i) => expect(g.data[i]).toBeCloseTo(v, 5));
  });

  it('refuses locations outside the model folder and reports a missing data file', async () => {
    await expect(api.call('models.open', { path: writeExternal(tempDir(), '../escape.bin') })).rejects.toMatchObject({ code: 'invalid-model', message: expect.stringMatching(/points outside the model's folder/) });
    const dir = tempDir();
    const path = writeExternal(dir, 'elsewhere.bin');
    await expect(api.call('models.open', { path })).rejects.toMatchObject({ code: 'not-found', message: expect.stringMatching(/external data file "elsewhere.bin" is missing/) });
  });

  /** The one-line error opening the model at `path` gives. */
  async function openError(path: string): Promise<LumenError> {
    const dir = path.slice(0, path.lastIndexOf('/'));
    const error = await failure(readOnnxModel(new Uint8Array(readFileSync(path)), 'external.onnx', dir));
    expect(error.describe()).not.toMatch(/\n/);
    return error;
  }

  it('refuses an absolute location', async () => {
    const error = await openError(writeExternal(tempDir(), '/etc/passwd'));
    expect(error).toMatchObject({ code: 'invalid-model', message: 'The weight "W" points outside the model\'s folder ("/etc/passwd").' });
  });

  it('refuses a symbolic link that leads out of the folder, and follows one that stays inside', async () => {
    const dir = tempDir();
    symlinkSync('/etc/passwd', join(dir, 'linked.bin'));
    const error = await openError(writeExternal(dir, 'linked.bin'));
    expect(error).toMatchObject({ code: 'invalid-model', message: expect.stringMatching(/"W" points outside the model's folder: "linked\.bin" is a link that leads out of it/) });

    // A folder link out, then a file name inside it.
    const outside = tempDir();
    writeFileSync(join(outside, 'w.bin'), new Uint8Array(64 + 48 * 4));
    symlinkSync(outside, join(dir, 'shared'));
    await expect(openError(writeExternal(dir, 'shared/w.bin'))).resolves.toMatchObject({ message: expect.stringMatching(/points outside the model's folder/) });

    const inside = tempDir();
    mkdirSync(join(inside, 'data'));
    const path = writeExternal(inside, 'data/w.bin');
    symlinkSync(join(inside, 'weights.bin'), join(inside, 'data', 'w.bin'));
    const { model } = await readOnnxModel(new Uint8Array(readFileSync(path)), 'external.onnx', inside);
    expect(new Float32Array(model.graph.initializers.find((t) => t.name === 'W')!.raw!.slice().buffer)[5]).toBeCloseTo(weights[5]!, 6);
  });

  it('refuses a tensor that declares 2 GiB without allocating it', async () => {
    const path = writeExternal(tempDir(), 'weights.bin', (w) => {
      w.dims = [2 ** 28, 2];
      w.external!.length = null;
    });
    const before = process.memoryUsage().rss;
    const error = await openError(path);
    expect(error).toMatchObject({ code: 'unsupported-model', message: 'The weight "W" declares 2.0 GiB; Lumen handles models up to 2 GiB.' });
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 2 ** 20);
  });

  it('refuses a length beyond the end of the data file', async () => {
    const error = await openError(writeExternal(tempDir(), 'weights.bin', (w) => (w.external!.length = 1_000_000)));
    expect(error).toMatchObject({ code: 'invalid-model', message: 'The external data of "W" ("weights.bin") runs past the end of its file (bytes 64 to 1000064 of 256).' });
  });

  it('refuses a length that does not match the shape', async () => {
    const error = await openError(writeExternal(tempDir(), 'weights.bin', (w) => (w.external!.length = 100)));
    expect(error.message).toBe('The external data of "W" ("weights.bin") holds 100 bytes, but its shape [16, 3] needs 192.');
  });
});
