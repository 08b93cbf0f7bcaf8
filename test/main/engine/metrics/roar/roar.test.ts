import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../../src/shared/contract/api';
import { Rng } from '../../../../../src/main/engine/random/rng';
import { testApi } from '../../../../helpers/engine';
import { openTestModel, smoothImageModel } from '../../../../helpers/image-models';
import { tempDir } from '../../../../helpers/tiny-models';

describe('ROAR (head retrained) on a synthetic two-class dataset', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let id: string;
  const dir = tempDir();
  // 4 x 4 grey images of random grey levels: class "left" has a white 2 x 2 blob top-left, class
  // "right" bottom-right. Random backgrounds keep the filled-in mean from marking where pixels
  // were removed (the leak ROAD was designed to avoid), so removing the blob really hides the class.
  const blob = (cls: number) => (cls === 0 ? [0, 1, 4, 5] : [10, 11, 14, 15]);
  // Hidden unit 0 sums the top-left blob, unit 1 the bottom-right one; the head maps them to classes 0 and 1.
  const w1 = Array.from({ length: 16 * 6 }, (_, i) => {
    const [pixel, unit] = [Math.floor(i / 6), i % 6];
    if (unit < 2) return blob(unit).includes(pixel) ? 0.5 : 0;
    return 0.05 * Math.sin(i);
  });
  const w2 = Array.from({ length: 6 * 3 }, (_, i) => {
    const [unit, cls] = [Math.floor(i / 3), i % 3];
    return unit === cls && cls < 2 ? 2 : 0;
  });
  beforeAll(async () => {
    ({ api, close } = testApi());
    id = await openTestModel(api, smoothImageModel(w1, w2), 'roar-synthetic');
    const rng = new Rng(9);
    for (const [cls, name] of ['left', 'right'].entries()) {
      mkdirSync(join(dir, name));
      for (let k = 0; k < 20; k++) {
        const pixels = Buffer.from(Array.from({ length: 16 }, (_, p) => (blob(cls).includes(p) ? 255 : Math.round(255 * rng.uniform()))));
        await sharp(pixels, { raw: { width: 4, height: 4, channels: 1 } }).png().toFile(join(dir, name, `${k}.png`));
      }
    }
  });
  afterAll(() => close());

  it('removing the pixels the method ranks first hurts the retrained head more than removing random ones', async () => {
    const result = await api.call('roar', { modelId: id, dataset: dir, method: 'gradient-x-input', fractions: [0.25, 0.5], testFraction: 0.25, seed: 1 });
    expect(result.mode).toBe('roar-head');
    expect(result.classes).toEqual(['left', 'right']);
    expect([result.trainImages, result.testImages]).toEqual([30, 10]);
    expect(result.baselineAccuracy).toBe(1);
    // The top 25% are the blob: the head is left guessing. Random removal keeps most of the blob.
    expect(result.methodAccuracy[0]).toBeLessThan(result.randomAccuracy[0]!);
    expect(result.score).toBeGreaterThan(0);
    expect(result.notes[0]).toMatch(/roar-head: the classification head was retrained/);
    expect(result.estimate.featurePasses).toBe(40 * 5);
    console.info(`ROAR synthetic: baseline ${result.baselineAccuracy}, method ${result.methodAccuracy.join(', ')}, random ${result.randomAccuracy.join(', ')}`);
  });

  it('estimates the cost before running; full retraining and unlabelled folders are clear errors', async () => {
    const estimate = await api.call('roar', { modelId: id, dataset: dir, method: 'gradient-x-input', estimateOnly: true });
    expect(estimate.estimate).toMatchObject({ images: 40, attributions: 40, featurePasses: 40 * 11, headTrainings: 11 });
    expect(estimate.methodAccuracy).toEqual([]);
    const full = await api.call('roar', { modelId: id, dataset: dir, method: 'gradient-x-input', retrain: 'full', training: { epochs: 2 }, estimateOnly: true });
    expect(full.mode).toBe('roar-full');
    expect(full.estimate).toMatchObject({ images: 40, attributions: 40, parameters: 16 * 6 + 6 * 3, fullTrainings: 11, parameterImageEpochs: (16 * 6 + 6 * 3) * 32 * 2 * 11 });
    await expect(api.call('roar', { modelId: id, dataset: join(dir, 'left'), method: 'gradient-x-input' })).rejects.toThrow(/no labelled images/);
  });
});
