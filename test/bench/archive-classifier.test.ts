import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeArchiveClassifier } from '../../bench/archive-classifier';
import { testApi } from '../helpers/engine';
import { tempDir } from '../helpers/tiny-models';

describe("the hospital benchmark's archive classifier", () => {
  const { api, close } = testApi();
  afterAll(close);

  it('opens with its card (32 x 32, the ten label folders as classes) and explains an image', async () => {
    const dir = tempDir('archive-classifier-');
    const path = writeArchiveClassifier(dir);
    expect(JSON.parse(readFileSync(join(dir, 'archive-classifier.card.json'), 'utf8')).output.labels).toHaveLength(10);
    const model = await api.call('models.open', { path, executionProvider: 'cpu' });
    expect(model.card.card.input).toMatchObject({ height: 32, width: 32, layout: 'NCHW' });
    expect(model.card.card.output.labels).toEqual(Array.from({ length: 10 }, (_, k) => `class-${k}`));
    const data = Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => (i % 7) / 7);
    const result = await api.call('attribute', { modelId: model.id, input: { kind: 'tensor', dims: [1, 3, 32, 32], data }, method: 'gradient', params: {} });
    expect(result.target).toBeGreaterThanOrEqual(0);
    expect(result.target).toBeLessThan(10);
    // Seeded weights: the same file every time, so shard processes and the single process agree.
    expect(readFileSync(writeArchiveClassifier(tempDir('archive-classifier-'))).equals(readFileSync(path))).toBe(true);
  });
});
