// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { AttributionResult } from '../../../../src/shared/contract/attribution';
import type { StoredExplanation } from '../../../../src/shared/contract/explanations';
import { ProjectSummary } from '../../../../src/shared/contract/project';
import type { Params } from '../../../../src/shared/contract/requests';
import { lumenVersion } from '../../../../src/shared/version';
import ExplanationList from '../../../../src/renderer/src/components/inspector/ExplanationList.svelte';
import { Workspace } from '../../../../src/renderer/src/lib/state/workspace.svelte';
import { methodSchema } from '../../helpers/catalogue-schemas';
import { fakeEngine, type FakeHandlers } from '../../helpers/fake-engine';
import { tinyModelSummary } from '../../helpers/tiny-model-summary';

const sha = 'f'.repeat(64);
const model = tinyModelSummary({ fileName: 'tiny.onnx', sha256: sha, builtIn: false, size: 2, labels: ['a', 'b', 'c'] });
const gradient = { id: 'gradient', family: 'gradient', label: 'Gradient', summary: '', output: 'pixel' as const, stochastic: false, reference: '', params: methodSchema('gradient') };
const project = '/data/study';

function imageSummary(id: string) {
  return { id, name: `${id}.png`, format: 'png', width: 2, height: 2, channels: 3, bitDepth: 8 as const, preview: { mime: 'image/png' as const, width: 2, height: 2, data: new Uint8Array(4) } };
}

function attribution(target: number, fill: number): AttributionResult {
  return {
    method: 'gradient',
    target,
    targetLabel: ['a', 'b', 'c'][target]!,
    objective: 'logit',
    params: {},
    kind: 'pixel',
    dims: [1, 1, 2, 2],
    data: new Float32Array(4).fill(fill),
    figures: {},
    timings: { computeMs: 3, computeRunsMs: [3], compileMs: 0, preprocessMs: 0 },
    graphSource: ['compiled'],
    graphRuns: 1,
    executionProvider: { requested: 'cpu', used: 'cpu' },
    notes: [],
  };
}

function stored(overrides: Partial<StoredExplanation> = {}): StoredExplanation {
  const r = attribution(2, 0.25);
  return { id: 1, method: 'gradient', params: {}, target: 2, targetLabel: 'c', kind: 'pixel', dims: r.dims, data: r.data, figures: {}, notes: [], model: { sha256: sha, fileName: 'tiny.onnx' }, lumenVersion, createdAt: '2026-01-01T00:00:00Z', stale: null, ...overrides };
}

/** A workspace over a fake engine whose project holds `storedList` for every image; images are named by path. */
function workspace(storedList: StoredExplanation[], options: { readOnly?: boolean; saved?: { id: number | null; notice?: string } } = {}) {
  const handlers: FakeHandlers = {
    'images.open': (p) => imageSummary(p.source === 'project' ? `sha-${p.path}` : 'other'),
    classify: (p) => ({ modelId: 'm1', imageId: p.imageId, outputKind: 'logits', classCount: 3, predictions: [{ rank: 1, index: 1, label: 'b', probability: 0.9, logit: 2 }], timings: { decodeMs: 0, preprocessMs: 0, inferMs: 0, totalMs: 0 }, executionProvider: { requested: 'cpu', used: 'cpu' } }),
    attribute: (p) => attribution(p.target ?? 1, 1),
    'explanations.list': () => ({ explanations: storedList, damaged: [] }),
    'explanations.save': () => options.saved ?? { id: 7 },
    'explanations.delete': () => ({ deleted: true }),
  };
  const engine = fakeEngine(handlers);
  const ws = new Workspace(engine.api);
  ws.model = model;
  ws.methods = [gradient];
  ws.project = ProjectSummary.parse({ path: project, name: 'study', schemaVersion: 4, demo: false, ...(options.readOnly ? { readOnly: true } : {}), datasets: [{ name: 'xray', images: 2, labels: [], annotated: 0 }], runs: [] });
  return { ws, engine };
}

const image = (path: string) => ({ kind: 'project' as const, project, dataset: 'xray', path });

describe('explanations kept per image', () => {
  it('leaving an image and opening it again brings its explanations back, the one shown and the comparison too', async () => {
    const { ws, engine } = workspace([]);
    await ws.openImage(image('a.png'));
    await ws.explain(gradient, {});
    await ws.explain(gradient, {}, { target: 2, compare: true });
    const keys = ws.explanations.map((e) => e.key);
    expect(keys).toHaveLength(2);
    ws.activeKey = keys[0]!;
    // Each was stored in the project, as the engine gave it, with what made it.
    const saves = engine.callsOf('explanations.save') as Array<Params<'explanations.save'>>;
    expect(saves.map((s) => [s.path, s.frame, s.target, s.model.sha256])).toEqual([
      ['a.png', 0, 1, sha],
      ['a.png', 0, 2, sha],
    ]);
    expect(Array.from(saves[0]!.data)).toEqual([1, 1, 1, 1]);

    await ws.openImage(image('b.png'));
    expect(ws.explanations).toEqual([]);
    await ws.openImage(image('a.png'));
    expect(ws.explanations.map((e) => e.key)).toEqual(keys);
    expect(ws.activeKey).toBe(keys[0]);
    expect(ws.compareKeys).toEqual([keys[1]]);
    // The session's own came back; the project was asked only for images opened the first time.
    expect((engine.callsOf('explanations.list') as Array<{ path: string }>).map((c) => c.path)).toEqual(['a.png', 'b.png']);
    expect(engine.callsOf('attribute')).toHaveLength(2);
  });

  it('after a restart the project gives them back; one this model and Lumen made is not stale', async () => {
    const { ws } = workspace([stored()]);
    await ws.openImage(image('a.png'));
    expect(ws.explanations).toHaveLength(1);
    const [e] = ws.explanations;
    expect(e!.target).toBe(2);
    expect(e!.result.targetLabel).toBe('c');
    expect(Array.from(e!.map.data)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(ws.activeKey).toBe(e!.key);
    render(ExplanationList, { props: { ws } });
    const list = screen.getByRole('list', { name: 'Explanations of this image' });
    expect(within(list).getByRole('button', { name: /Gradient → c/ })).toBeTruthy();
    expect(within(list).queryByText('stale')).toBeNull();
    expect(within(list).queryByRole('button', { name: 'Recompute Gradient' })).toBeNull();
  });

  it('one another model made is stale, says which, and one click computes it again with this model for its own target', async () => {
    const { ws, engine } = workspace([stored({ model: { sha256: 'e'.repeat(64), fileName: 'old.onnx' } })]);
    await ws.openImage(image('a.png'));
    render(ExplanationList, { props: { ws } });
    const list = screen.getByRole('list', { name: 'Explanations of this image' });
    expect(within(list).getByText('stale')).toBeTruthy();
    expect(list.textContent).toContain(`Made with another model, old.onnx (sha ${'e'.repeat(12)}): recompute it with this one.`);
    await fireEvent.click(within(list).getByRole('button', { name: 'Recompute Gradient' }));
    await waitFor(() => expect(within(list).queryByText('stale')).toBeNull());
    expect((engine.callsOf('attribute') as Array<{ target: number }>).map((c) => c.target)).toEqual([2]);
    expect(ws.explanations).toHaveLength(1);
    expect(Array.from(ws.explanations[0]!.map.data)).toEqual([1, 1, 1, 1]);
    expect((engine.callsOf('explanations.save') as Array<{ target: number }>).map((c) => c.target)).toEqual([2]);
  });

  it('another Lumen version, or parameters the method refuses now, are stale too; asking the same again recomputes it', async () => {
    const { ws, engine } = workspace([stored({ lumenVersion: '0.0.1' }), stored({ id: 2, target: 0, paramsProblem: 'noSuchParam: unknown' })]);
    await ws.openImage(image('a.png'));
    expect(ws.explanations.map((e) => ws.staleness(e))).toEqual([`Made by Lumen 0.0.1 (this is ${lumenVersion}): recompute it.`, 'Its parameters no longer fit the method (noSuchParam: unknown): recompute it.']);
    // The same request as a stale one is computed again, not answered with the stale map.
    await ws.explain(gradient, {}, { target: 2 });
    expect(engine.callsOf('attribute')).toHaveLength(1);
    expect(ws.staleness(ws.explanations[0]!)).toBeNull();
    // A current one is reused.
    await ws.explain(gradient, {}, { target: 2 });
    expect(engine.callsOf('attribute')).toHaveLength(1);
  });

  it('removing one deletes it from the project; a read-only project keeps them in the session only', async () => {
    const { ws, engine } = workspace([stored()]);
    await ws.openImage(image('a.png'));
    ws.removeExplanation(ws.explanations[0]!.key);
    expect(engine.callsOf('explanations.delete')).toEqual([{ project, dataset: 'xray', path: 'a.png', frame: 0, method: 'gradient', params: {}, target: 2 }]);

    const readOnly = workspace([], { readOnly: true });
    await readOnly.ws.openImage(image('a.png'));
    await readOnly.ws.explain(gradient, {});
    await readOnly.ws.openImage(image('b.png'));
    await readOnly.ws.openImage(image('a.png'));
    expect(readOnly.ws.explanations).toHaveLength(1);
    expect(readOnly.engine.callsOf('explanations.save')).toEqual([]);
  });

  it('a map too large to store is kept for the session, and the list says so', async () => {
    const notice = "This explanation's map (40 MB) is larger than a project stores (32 MB): it is kept for this session only.";
    const { ws } = workspace([], { saved: { id: null, notice } });
    await ws.openImage(image('a.png'));
    render(ExplanationList, { props: { ws } });
    await ws.explain(gradient, {});
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe(notice));
    expect(ws.explanations).toHaveLength(1);
  });
});
