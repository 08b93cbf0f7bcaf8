// @vitest-environment jsdom
import { render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { AttributionResult } from '../../../../src/shared/contract/attribution';
import ExplainTimingLabel from '../../../../src/renderer/src/components/inspector/ExplainTimingLabel.svelte';
import { Workspace } from '../../../../src/renderer/src/lib/state/workspace.svelte';
import { methodSchema } from '../../helpers/catalogue-schemas';
import { fakeEngine } from '../../helpers/fake-engine';
import { tinyModelSummary } from '../../helpers/tiny-model-summary';

const model = tinyModelSummary({ fileName: 'tiny.onnx', sha256: 'f'.repeat(64), builtIn: false, size: 2, labels: ['a', 'b', 'c'] });
const gradient = { id: 'gradient', family: 'gradient', label: 'Gradient', summary: '', output: 'pixel' as const, stochastic: false, reference: '', params: methodSchema('gradient') };

function attribution(target: number): AttributionResult {
  return {
    method: 'gradient',
    target,
    targetLabel: 'b',
    objective: 'logit',
    params: {},
    kind: 'pixel',
    dims: [1, 1, 2, 2],
    data: new Float32Array([1, 2, 3, 4]),
    figures: {},
    timings: { computeMs: 3, computeRunsMs: [3], compileMs: 0.5, preprocessMs: 0.25, queueMs: 0.125, engineMs: 4 },
    graphSource: ['memory'],
    graphRuns: 1,
    executionProvider: { requested: 'cpu', used: 'cpu' },
    notes: [],
  };
}

async function explained() {
  const engine = fakeEngine({
    'images.open': () => ({ id: 'i1', name: 'a.png', format: 'png', width: 2, height: 2, channels: 3, bitDepth: 8 as const, preview: { mime: 'image/png' as const, width: 2, height: 2, data: new Uint8Array(4) } }),
    classify: (p) => ({ modelId: 'm1', imageId: p.imageId, outputKind: 'logits', classCount: 3, predictions: [{ rank: 1, index: 1, label: 'b', probability: 0.9, logit: 2 }], timings: { decodeMs: 0, preprocessMs: 0, inferMs: 0, totalMs: 0 }, executionProvider: { requested: 'cpu', used: 'cpu' } }),
    // The engine's answer takes longer than the 4 ms it reports, as a real one's does.
    attribute: async (p) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return attribution(p.target ?? 1);
    },
  });
  const ws = new Workspace(engine.api);
  ws.model = model;
  ws.methods = [gradient];
  await ws.openImage({ kind: 'file', name: 'a.png' }, new Uint8Array(4));
  await ws.explain(gradient, {});
  return ws;
}

describe("the inspector's time from the click to the overlay", () => {
  it('an explanation computed now gets its breakdown once drawn, with the engine’s own times as parts that add up to the total', async () => {
    const ws = await explained();
    await waitFor(() => expect(ws.explanations[0]!.timing).toBeDefined());
    const timing = ws.explanations[0]!.timing!;
    expect(timing.parts).toMatchObject({ queue: 0.125, preprocess: 0.25, graphs: 0.5, compute: 3, engineOther: 0.125 });
    expect(Object.values(timing.parts).reduce((a, b) => a + b, 0)).toBeCloseTo(timing.totalMs, 6);
    for (const value of Object.values(timing.parts)) expect(value).toBeGreaterThanOrEqual(0);
  });

  it('shows the compute time, the time on screen, and the breakdown in the tooltip and as data', async () => {
    const ws = await explained();
    await waitFor(() => expect(ws.explanations[0]!.timing).toBeDefined());
    const explanation = ws.explanations[0]!;
    render(ExplainTimingLabel, { explanation });
    const label = screen.getByText(/computed in 3\.0 ms · on screen in/);
    expect(label.title).toContain('From the click on Explain to the overlay on screen:');
    expect(label.title).toContain('attribution computed: 3.0 ms');
    expect(label.title).toContain('graphs from memory');
    expect(JSON.parse(label.dataset['timing']!)).toEqual({ ...explanation.timing, graphSource: ['memory'] });
  });

  it('one kept from before (no timing) shows its compute time only', () => {
    const result = attribution(1);
    render(ExplainTimingLabel, { explanation: { key: 'k', method: gradient, params: {}, target: 1, result, map: { data: result.data, width: 2, height: 2 } } });
    const label = screen.getByText('computed in 3.0 ms');
    expect(label.title).toBe('');
    expect(label.dataset['timing']).toBeUndefined();
  });
});
