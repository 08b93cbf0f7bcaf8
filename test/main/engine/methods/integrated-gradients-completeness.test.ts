import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { testApi } from '../../../helpers/engine';
import { steepModel } from '../../../helpers/steep-model';
import { tempDir, writeModel } from '../../../helpers/tiny-models';

describe("Integrated Gradients' completeness warning through the engine", () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let modelId: string;
  beforeAll(async () => {
    ({ api, close } = testApi());
    const model = steepModel();
    const path = writeModel(tempDir(), 'steep.onnx', model, { 'steep.card.json': JSON.stringify({ preprocess: { resize: { mode: 'stretch' }, mean: [0], std: [1], scale: 1 } }) });
    modelId = (await api.call('models.open', { path })).id;
  });
  afterAll(() => close());
  const ig = (params: Record<string, unknown>) =>
    api.call('attribute', { modelId, input: { kind: 'tensor', dims: [1, 1, 4, 4], data: new Float32Array(16).fill(1) }, method: 'integrated-gradients', target: 0, params: { baseline: 'zeros', ...params } });

  it('warns, with the relative error and what to change, for a few steps', async () => {
    const r = await ig({ steps: 4, stepRule: 'riemann-left' });
    const relative = r.figures['completenessError']! / Math.abs(r.figures['outputDifference']!);
    expect(relative).toBeGreaterThan(0.05);
    const note = r.notes.find((n) => n.startsWith('The attributions miss f(x) − f(baseline) by'));
    expect(note).toBeDefined();
    expect(note).toContain(`by ${(100 * relative).toFixed(relative >= 1 ? 0 : 1)} %`);
    expect(note).toContain('use more steps (4 now; try 16) or the gauss-legendre step rule');
  });

  it('stays quiet for many steps', async () => {
    const r = await ig({ steps: 512, stepRule: 'gauss-legendre' });
    expect(r.figures['completenessError']! / Math.abs(r.figures['outputDifference']!)).toBeLessThan(0.05);
    expect(r.notes.some((n) => n.includes('completeness error'))).toBe(false);
  });

  it('XRAI passes its IG base’s warning on', async () => {
    const r = await api.call('attribute', { modelId, input: { kind: 'tensor', dims: [1, 1, 4, 4], data: Float32Array.from({ length: 16 }, (_, i) => (i % 3) / 2) }, method: 'xrai', target: 0, params: { steps: 2, baselines: 'black-white', segmentationSize: 0, scales: [50] } });
    expect(r.notes.some((n) => n.startsWith('Base attribution (integrated-gradients): The attributions miss'))).toBe(true);
  });
});
