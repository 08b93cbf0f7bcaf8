// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { describeMethods } from '../../../../src/main/engine/methods/describe';
import type { AttributionResult } from '../../../../src/shared/contract/attribution';
import ExplanationList from '../../../../src/renderer/src/components/inspector/ExplanationList.svelte';
import MethodPanel from '../../../../src/renderer/src/components/inspector/MethodPanel.svelte';
import type { LayerInfo } from '../../../../src/renderer/src/lib/forms/layer-choices';
import XraiPanel from '../../../../src/renderer/src/components/inspector/XraiPanel.svelte';
import { DisplaySettings } from '../../../../src/renderer/src/lib/state/display.svelte';
import { Workspace } from '../../../../src/renderer/src/lib/state/workspace.svelte';
import { fakeEngine } from '../../helpers/fake-engine';
import { tinyModelSummary } from '../../helpers/tiny-model-summary';

describe('the inspector: XRAI', () => {
  it('has no "Area threshold" field: the highlighted-area slider is its only control', async () => {
    const ws = new Workspace(fakeEngine({}).api);
    ws.methods = describeMethods();
    render(MethodPanel, { ws });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Method' }), { target: { value: 'xrai' } });
    // The form is XRAI's (its other parameters are there)…
    const labels = (await screen.findAllByText(/./, { selector: 'label' })).map((l) => l.textContent?.trim());
    expect(labels).toContain('Segments');
    // …without the threshold the slider sets.
    expect(labels).not.toContain('Area threshold');
    expect(screen.queryByText(/area threshold/i)).toBeNull();
    expect(ws.methods.find((m) => m.id === 'xrai')?.params['properties']).toHaveProperty('areaThreshold');
  });

  it('counts highlighted regions in the right number', () => {
    const regions = { ranks: Int32Array.of(1, 1, 2, 2), list: [{ rank: 1, gain: 1, area: 2, cumulativeArea: 0.5 }, { rank: 2, gain: 0.5, area: 2, cumulativeArea: 1 }] };
    const one = render(XraiPanel, { regions, display: new DisplaySettings(), highlighted: { fraction: 0.5, regions: 1 }, pixels: 4 });
    expect(one.container.querySelector('.shown')?.textContent).toBe('50.0% of the image in 1 region');
    one.unmount();
    const two = render(XraiPanel, { regions, display: new DisplaySettings(), highlighted: { fraction: 1, regions: 2 }, pixels: 4 });
    expect(two.container.querySelector('.shown')?.textContent).toBe('100.0% of the image in 2 regions');
  });
});

const model = tinyModelSummary({ fileName: 'tiny.onnx', sha256: 'f'.repeat(64), builtIn: false, size: 2, labels: ['a', 'b', 'c'] });

const layers: LayerInfo[] = [
  { name: '/layer2/layer2.0/relu/Relu_output_0', op: 'Relu', shape: [1, 16, 8, 8], layout: 'NCHW', channels: 16, height: 8, width: 8, isDefault: false },
  { name: '/layer4/layer4.1/relu_1/Relu_output_0', op: 'Relu', shape: [1, 64, 2, 2], layout: 'NCHW', channels: 64, height: 2, width: 2, isDefault: true },
];

function attribution(method: string, target: number, params: Record<string, unknown>): AttributionResult {
  return {
    method,
    target,
    targetLabel: ['a', 'b', 'c'][target]!,
    objective: 'logit',
    params,
    kind: 'map',
    dims: [1, 1, 2, 2],
    data: new Float32Array(4).fill(1),
    figures: {},
    timings: { computeMs: 3, computeRunsMs: [3], compileMs: 0, preprocessMs: 0 },
    graphSource: ['compiled'],
    graphRuns: 1,
    executionProvider: { requested: 'cpu', used: 'cpu' },
    notes: [],
  };
}

/** A workspace with a sample image open, over a fake engine that answers the layers and any attribution. */
async function inspecting() {
  const engine = fakeEngine({
    'images.open': () => ({ id: 'img', name: 'img.png', format: 'png', width: 2, height: 2, channels: 3, bitDepth: 8, preview: { mime: 'image/png', width: 2, height: 2, data: new Uint8Array(4) } }),
    classify: (p) => ({ modelId: 'm1', imageId: p.imageId, outputKind: 'logits', classCount: 3, predictions: [{ rank: 1, index: 1, label: 'b', probability: 0.9, logit: 2 }], timings: { decodeMs: 0, preprocessMs: 0, inferMs: 0, totalMs: 0 }, executionProvider: { requested: 'cpu', used: 'cpu' } }),
    'models.layers': () => layers,
    attribute: (p) => attribution(p.method, p.target ?? 1, p.params),
  });
  const ws = new Workspace(engine.api);
  ws.model = model;
  ws.methods = describeMethods();
  await ws.openImage({ kind: 'sample', sampleId: 'img' });
  render(MethodPanel, { ws });
  render(ExplanationList, { ws });
  return { ws, attributions: () => engine.callsOf('attribute') as Array<{ method: string; target: number; params: Record<string, unknown> }>, engine };
}

const method = (): HTMLSelectElement => screen.getByRole('combobox', { name: 'Method' });
const explainButton = (): HTMLButtonElement => screen.getByRole('button', { name: 'Explain' });
const entry = (name: RegExp): HTMLElement => within(screen.getByRole('list', { name: 'Explanations of this image' })).getByRole('button', { name });

describe('the method panel', () => {
  it('gives Grad-CAM a layer picker over the model\'s layers, and Explain sends the layer picked', async () => {
    const { attributions, engine } = await inspecting();
    const picker = await screen.findByRole('combobox', { name: 'Layer' });
    expect(engine.callsOf('models.layers')).toEqual([{ modelId: 'm1' }]);
    expect((picker as HTMLInputElement).value).toBe('layer4.1/relu_1');
    await fireEvent.input(picker, { target: { value: 'layer2' } });
    await fireEvent.keyDown(picker, { key: 'Enter' });
    await fireEvent.click(explainButton());
    await waitFor(() => expect(attributions()).toHaveLength(1));
    expect(attributions()[0]).toMatchObject({ method: 'grad-cam', target: 1, params: { layer: layers[0]!.name } });
    // Other CAM methods get the picker too; a method without a layer parameter does not.
    await fireEvent.change(method(), { target: { value: 'guided-grad-cam' } });
    expect(screen.getByRole('combobox', { name: 'Layer' })).toBeTruthy();
    await fireEvent.change(method(), { target: { value: 'gradient' } });
    expect(screen.queryByRole('combobox', { name: 'Layer' })).toBeNull();
    expect(engine.callsOf('models.layers')).toHaveLength(1);
  });

  it('follows the explanation picked in the list: its method, parameters and class, so Explain computes nothing new', async () => {
    const { ws, attributions } = await inspecting();
    const picker = await screen.findByRole('combobox', { name: 'Layer' });
    await fireEvent.input(picker, { target: { value: 'layer2' } });
    await fireEvent.keyDown(picker, { key: 'Enter' });
    await fireEvent.click(explainButton());
    await waitFor(() => expect(attributions()).toHaveLength(1));

    // Another method, with a parameter changed, for another class.
    ws.target = 2;
    await fireEvent.change(method(), { target: { value: 'smoothgrad' } });
    await fireEvent.input(screen.getByLabelText('Samples'), { target: { value: '7' } });
    await fireEvent.click(explainButton());
    await waitFor(() => expect(attributions()).toHaveLength(2));
    expect(attributions()[1]).toMatchObject({ method: 'smoothgrad', target: 2, params: { samples: 7 } });
    expect(method().value).toBe('smoothgrad');

    await fireEvent.click(entry(/^Grad-CAM →/));
    expect(method().value).toBe('grad-cam');
    expect((screen.getByRole('combobox', { name: 'Layer' }) as HTMLInputElement).value).toBe('layer2.0/relu');
    expect(ws.effectiveTarget).toBe(1);
    await fireEvent.click(explainButton());
    expect(attributions()).toHaveLength(2);
    expect(ws.active?.method.id).toBe('grad-cam');

    await fireEvent.click(entry(/^SmoothGrad →/));
    expect(method().value).toBe('smoothgrad');
    expect((screen.getByLabelText('Samples') as HTMLInputElement).value).toBe('7');
    expect(ws.effectiveTarget).toBe(2);
  });

  it('keeps the user\'s edits when the shown explanation only gains a measurement', async () => {
    const { ws, attributions } = await inspecting();
    await fireEvent.change(method(), { target: { value: 'smoothgrad' } });
    await fireEvent.click(explainButton());
    await waitFor(() => expect(attributions()).toHaveLength(1));
    await fireEvent.input(screen.getByLabelText('Samples'), { target: { value: '9' } });
    const shown = ws.active!;
    ws.explanations = ws.explanations.map((e) => (e.key === shown.key ? { ...e, evaluation: { metrics: [] } as never } : e));
    await Promise.resolve();
    expect((screen.getByLabelText('Samples') as HTMLInputElement).value).toBe('9');
    // Picking another method starts from its defaults, not from the shown explanation's values.
    await fireEvent.change(method(), { target: { value: 'vargrad' } });
    expect((screen.getByLabelText('Samples') as HTMLInputElement).value).toBe('');
  });
});
