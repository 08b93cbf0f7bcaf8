import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeModel } from '../../../../src/main/engine/onnx/encode';
import type { LumenApi } from '../../../../src/shared/contract/api';
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
  function writeExternal(dir: string, location = 'weights.bin'): string {
    const model = linearImageModel(weights, [0, 0.5, 1], [1, 4, 4]);
    const w = model.graph.initializers.find((t) => t.name === 'W')!;
    const data = new Uint8Array(64 + w.raw!.length);
    data.set(w.raw!, 64);
    writeFileSync(join(dir, 'weights.bin'), data);
    delete w.raw;
    w.external = { location, offset: 64, length: data.length - 64 };
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
});
