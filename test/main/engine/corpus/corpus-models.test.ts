import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import type { ModelSummary } from '../../../../src/shared/contract/model';
import { testApi } from '../../../helpers/engine';
import { corpusArray, corpusMeta, corpusNames, corpusRoot, relativeL2, tolerances } from './corpus';

/**
 * Every corpus model through the engine API, as a user would bring it: it opens (the card read from
 * the file, the layout included), classifies its PNG (outputs match the float64 reference), and
 * gives Gradient, Integrated Gradients (same steps, rule and baseline as the reference) and
 * Grad-CAM (where a spatial layer exists) that match the references within `tolerances`.
 */
describe.each(corpusNames())('corpus model %s', (name) => {
  const meta = corpusMeta(name);
  const tol = tolerances(meta);
  const state = {} as { api: LumenApi; close: () => Promise<void>; summary: ModelSummary; modelId: string; imageId: string };
  const unit = (v: number): number[] => Array.from({ length: meta.channels }, () => v);

  beforeAll(async () => {
    ({ api: state.api, close: state.close } = testApi());
    // The PNG's pixels / 255 are the tensor: no normalisation, no resampling (same size).
    const summary = await state.api.call('models.open', {
      path: `${corpusRoot}${name}/model.onnx`,
      card: { preprocess: { scale: 1, mean: unit(0), std: unit(1), resize: { mode: 'stretch' } } },
      executionProvider: 'cpu',
    });
    state.summary = summary;
    state.modelId = summary.id;
    state.imageId = (await state.api.call('images.open', { source: 'file', path: `${corpusRoot}${name}/input.png` })).id;
  }, 60_000);
  afterAll(() => state.close());

  it(`opens: ${meta.description}`, async () => {
    const { card } = state.summary;
    expect(card.card.input).toMatchObject({ layout: meta.layout, height: meta.h, width: meta.w, color: meta.channels === 1 ? 'GRAY' : 'RGB' });
    expect(card.sources['input.layout']).toBe('model');
    expect(card.card.output.kind).toBe(meta.outputKind);
    const details = await state.api.call('models.details', { modelId: state.modelId });
    expect(details.irVersion).toBe(meta.irVersion);
    expect(details.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version).toBe(meta.opset);
  });

  it('classifies: its outputs match the reference', async () => {
    const result = await state.api.call('classify', { modelId: state.modelId, imageId: state.imageId, topK: meta.classes });
    expect(result.classCount).toBe(meta.classes);
    const scores = new Float32Array(meta.classes);
    for (const p of result.predictions) scores[p.index] = meta.outputKind === 'logits' ? p.logit! : p.probability;
    expect(relativeL2(scores, corpusArray(name, 'logits.npy'))).toBeLessThanOrEqual(tol.output);
  });

  const attribute = async (method: string, params: Record<string, unknown> = {}): Promise<{ data: Float32Array; notes: string[] }> => {
    const r = await state.api.call('attribute', { modelId: state.modelId, input: { kind: 'image', imageId: state.imageId }, method, target: meta.target, params });
    return { data: r.data, notes: r.notes };
  };

  it('Gradient matches the reference', async () => {
    const { data, notes } = await attribute('gradient');
    expect(relativeL2(data, corpusArray(name, 'grad.npy'))).toBeLessThanOrEqual(tol.gradient);
    if (meta.family === 'float16' || meta.family === 'bfloat16') expect(notes.join(' ')).toMatch(/computed its gradients in float32/);
    if (meta.family === 'qdq') expect(notes.join(' ')).toMatch(/dequantised float graph/);
  }, 120_000);

  it(`Integrated Gradients (${meta.igSteps} ${meta.igStepRule} steps, ${meta.igBaseline} baseline) matches the reference`, async () => {
    const { data } = await attribute('integrated-gradients', { steps: meta.igSteps, stepRule: meta.igStepRule, baseline: meta.igBaseline });
    expect(relativeL2(data, corpusArray(name, 'ig.npy'))).toBeLessThanOrEqual(tol.gradient);
  }, 120_000);

  it(`Occlusion (forward only, ${meta.occlusionWindow}-pixel windows) runs the model as it is and matches the reference`, async () => {
    const { data, notes } = await attribute('occlusion', { window: meta.occlusionWindow, stride: meta.occlusionWindow, baseline: 'zeros' });
    expect(relativeL2(data, corpusArray(name, 'occlusion.npy'))).toBeLessThanOrEqual(tol.forwardOnly);
    // The quantised model itself, not the float graph gradients are taken on.
    expect(notes.join(' ')).not.toMatch(/dequantised|computed its gradients/);
  }, 120_000);

  if (meta.gradcam) {
    it('Grad-CAM at the last spatial feature map (the default, except in transformers) matches the reference', async () => {
      // The reference is at the last rank-4 map (a ViT's patch embedding); a transformer's default is a token layer.
      const layers = await state.api.call('models.layers', { modelId: state.modelId });
      const lastMap = layers.filter((l) => l.layout !== 'tokens').at(-1)!;
      expect(lastMap.isDefault).toBe(!layers.some((l) => l.layout === 'tokens'));
      const { data } = await attribute('grad-cam', lastMap.isDefault ? {} : { layer: lastMap.name });
      expect(relativeL2(data, corpusArray(name, 'gradcam.npy'))).toBeLessThanOrEqual(tol.gradient);
    }, 120_000);
  } else {
    it('Grad-CAM says the model has no spatial feature map', async () => {
      await expect(attribute('grad-cam')).rejects.toThrow(/no spatial feature map/);
    });
  }
});
