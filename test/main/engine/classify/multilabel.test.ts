import { describe, expect, it } from 'vitest';
import { findings } from '../../../../src/main/engine/classify/multilabel';
import type { ModelCard } from '../../../../src/shared/model-card';

const card = (output: Partial<ModelCard['output']>): ModelCard => ({
  name: 'chest',
  input: { name: 'x', layout: 'NCHW', height: 8, width: 8, color: 'GRAY' },
  preprocess: { resize: { mode: 'stretch' }, interpolation: 'linear', scale: 1, mean: [0], std: [1] },
  output: { name: 'y', kind: 'multilabel-logits', labels: ['Effusion', 'Nodule', 'Mass'], ...output },
});

describe('findings of one image', () => {
  it('give each finding its own sigmoid, most probable first, decided at the card’s threshold', () => {
    const logits = Float32Array.from([0.5, 2, -1]);
    const list = findings(logits, card({ thresholds: { Effusion: 0.65 } }))!;
    expect(list.map((f) => f.label)).toEqual(['Nodule', 'Effusion', 'Mass']);
    const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
    expect(list[0]).toMatchObject({ index: 1, logit: 2, threshold: 0.5, present: true });
    expect(list[0]!.probability).toBeCloseTo(sigmoid(2), 12);
    // sigmoid(0.5) = 0.622: present at 0.5, absent at the card's 0.65.
    expect(list[1]).toMatchObject({ index: 0, threshold: 0.65, present: false });
    expect(list[2]).toMatchObject({ index: 2, present: false });
    // Independent: they need not sum to one.
    expect(list.reduce((s, f) => s + f.probability, 0)).toBeGreaterThan(1.5);
  });

  it('take a Sigmoid model’s probabilities as they are (no logit), and a probability equal to the threshold is present', () => {
    const list = findings(Float32Array.from([0.25, 0.5, 0.75]), card({ kind: 'multilabel-probabilities', thresholds: 0.5 }))!;
    expect(list.map((f) => [f.label, f.probability, f.logit, f.present])).toEqual([
      ['Mass', 0.75, null, true],
      ['Nodule', 0.5, null, true],
      ['Effusion', 0.25, null, false],
    ]);
  });

  it('are not given for a single-label model', () => {
    expect(findings(Float32Array.from([1, 2, 3]), card({ kind: 'logits' }))).toBeUndefined();
  });
});
