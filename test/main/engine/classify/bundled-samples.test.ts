import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { testApi } from '../../../helpers/engine';

/** Top-5 per sample computed independently (PIL + PyTorch) by tools/fixtures/reference_classify.py. */
const reference = JSON.parse(readFileSync(new URL('../../../fixtures/default-model/top5.json', import.meta.url), 'utf8')) as Record<
  string,
  Array<{ index: number; label: string; probability: number }>
>;

describe('the bundled model on the bundled samples', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let modelId: string;

  beforeAll(async () => {
    ({ api, close } = testApi());
    modelId = (await api.call('models.open', {})).id;
  });
  afterAll(() => close());

  it('ships a sample for every reference entry and vice versa', async () => {
    const samples = await api.call('samples.list', {});
    expect(samples.map((s) => s.id).sort()).toEqual(Object.keys(reference).sort());
  });

  it.each(Object.keys(reference))('%s: top-1 is the label recorded in the model provenance', async (sampleId) => {
    const image = await api.call('images.open', { source: 'sample', sampleId });
    const result = await api.call('classify', { modelId, imageId: image.id, topK: 5 });
    const expected = reference[sampleId]!;
    expect(result.predictions[0]!.index).toBe(expected[0]!.index);
    expect(result.predictions[0]!.label).toBe(expected[0]!.label);
    // Different resamplers (sharp vs PIL) move probabilities slightly, not the decision.
    expect(Math.abs(result.predictions[0]!.probability - expected[0]!.probability)).toBeLessThan(0.05);
    const probabilities = result.predictions.map((p) => p.probability);
    expect([...probabilities].sort((a, b) => b - a)).toEqual(probabilities);
  });

  it('gives the same scores for one image however often it runs (sessions are reused)', async () => {
    const image = await api.call('images.open', { source: 'sample', sampleId: 'coffee' });
    const a = await api.call('classify', { modelId, imageId: image.id, topK: 3 });
    const b = await api.call('classify', { modelId, imageId: image.id, topK: 3 });
    expect(b.predictions).toEqual(a.predictions);
    const again = await api.call('models.open', {});
    expect(again.id).toBe(modelId);
  });
});
