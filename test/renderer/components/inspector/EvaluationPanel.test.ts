// @vitest-environment jsdom
import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { EvaluationResult, type MetricOutcome } from '../../../../src/shared/contract/evaluation';
import EvaluationPanel from '../../../../src/renderer/src/components/inspector/EvaluationPanel.svelte';
import type { Explanation } from '../../../../src/renderer/src/lib/state/explanation';
import { Workspace } from '../../../../src/renderer/src/lib/state/workspace.svelte';
import { fakeEngine } from '../../helpers/fake-engine';

const x = [0, 0.5, 1];
const outcome = (metric: string, computeMs: number, forwardPasses: number): MetricOutcome => ({
  metric,
  category: 'faithfulness',
  higherIsBetter: metric === 'insertion',
  score: 0.5,
  params: {},
  curves: [{ name: metric, xLabel: `fraction of pixels ${metric === 'deletion' ? 'removed' : 'inserted'}`, yLabel: 'probability', x, y: [0.9, 0.4, 0.1] }],
  figures: {},
  forwardPasses,
  computeMs,
});

describe('the inspector: evaluation', () => {
  it('says how long deletion and insertion took and how many forward passes each needed', () => {
    const evaluation = EvaluationResult.parse({
      method: 'grad-cam',
      target: 1,
      targetLabel: 'b',
      methodParams: {},
      attributionMs: 12,
      metrics: [outcome('deletion', 1234, 101), outcome('insertion', 56.25, 1)],
      executionProvider: { requested: 'cpu', used: 'cpu' },
    });
    // The panel reads only the explanation's method label and evaluation.
    const explanation = { method: { label: 'Grad-CAM' }, evaluation } as unknown as Explanation;
    const { container } = render(EvaluationPanel, { ws: new Workspace(fakeEngine({}).api), explanation });
    expect(container.querySelector('.cost')?.textContent).toBe('Deletion: 1234 ms · 101 forward passes · Insertion: 56.3 ms · 1 forward pass');
    // Each score says which way is better, by the metric's name (never its id).
    expect(container.textContent).toContain('Deletion 0.500 (lower is better) · Insertion 0.500 (higher is better)');
  });
});
