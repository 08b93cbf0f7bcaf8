import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveCard } from '../../../../src/main/engine/model/resolve-card';
import { decodeModel } from '../../../../src/main/engine/onnx/decode';
import { ModelCard, type ModelCardFile } from '../../../../src/shared/model-card';
import { findingThreshold } from '../../../../src/shared/multilabel';
import { tinyClassifier } from '../../../helpers/tiny-models';

const findings = ['Atelectasis', 'Effusion', 'Nodule', 'Pneumothorax'];
const resolve = (cardFile: ModelCardFile, model = tinyClassifier({ inputShape: [1, 1, 8, 8] })) =>
  resolveCard({ model, fileStem: 'chest', cardFile, labels: { list: findings, source: 'model' }, cardPathHint: 'chest.card.json' });

describe('multi-label model cards', () => {
  it('take per-finding thresholds from the card, recording the source; unnamed findings keep 0.5', () => {
    const { card, sources } = resolve({ output: { kind: 'multilabel-logits', thresholds: { Effusion: 0.3, Nodule: 0.7 } } });
    expect(card.output.thresholds).toEqual({ Effusion: 0.3, Nodule: 0.7 });
    expect(sources['output.thresholds']).toBe('card');
    expect(findings.map((_, i) => findingThreshold(card.output, i))).toEqual([0.5, 0.3, 0.7, 0.5]);
  });

  it('take one global threshold, or default to 0.5 (source "default") for a multi-label card', () => {
    const global = resolve({ output: { kind: 'multilabel-logits', thresholds: 0.25 } });
    expect(findings.map((_, i) => findingThreshold(global.card.output, i))).toEqual([0.25, 0.25, 0.25, 0.25]);
    const none = resolve({ output: { kind: 'multilabel-logits' } });
    expect(none.card.output.thresholds).toBeUndefined();
    expect(none.sources['output.thresholds']).toBe('default');
    expect(resolve({}).sources['output.thresholds']).toBeUndefined();
  });

  it('refuse a threshold for a finding the model does not have, naming it', () => {
    expect(() => resolve({ output: { kind: 'multilabel-logits', thresholds: { Efusion: 0.3 } } })).toThrow(/output\.thresholds names "Efusion", which is not a label of the model/);
  });

  it('refuse thresholds outside (0, 1) in the card schema', () => {
    const base = { name: 'm', input: { name: 'x', layout: 'NCHW', height: 8, width: 8, color: 'GRAY' }, preprocess: { resize: { mode: 'stretch' }, interpolation: 'linear', scale: 1, mean: [0], std: [1] } };
    for (const thresholds of [0, 1, 1.5, { Effusion: -0.1 }]) {
      expect(ModelCard.safeParse({ ...base, output: { name: 'y', kind: 'multilabel-logits', labels: [], thresholds } }).success).toBe(false);
    }
    expect(ModelCard.safeParse({ ...base, output: { name: 'y', kind: 'multilabel-logits', labels: [], thresholds: 0.4 } }).success).toBe(true);
  });

  it('read a model ending in Sigmoid as multi-label probabilities', () => {
    const model = decodeModel(new Uint8Array(readFileSync(new URL('../../../fixtures/multilabel/model-sigmoid.onnx', import.meta.url))));
    const { card, sources } = resolveCard({ model, fileStem: 'm', cardFile: {}, cardPathHint: 'm.card.json' });
    expect(card.output.kind).toBe('multilabel-probabilities');
    expect(sources['output.kind']).toBe('model');
  });
});
