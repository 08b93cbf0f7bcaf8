// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatasetImageRow, ProjectSummary, RunSummary } from '../../../../src/shared/contract/project';
import DatasetScreen from '../../../../src/renderer/src/screens/DatasetScreen.svelte';
import { followProjectChanges } from '../../../../src/renderer/src/lib/dataset/follow-project-changes';
import { Workspace } from '../../../../src/renderer/src/lib/state/workspace.svelte';
import { fakeEngine } from '../../helpers/fake-engine';

/**
 * An audit that finishes while the Dataset screen is open: the engine's project.changed events,
 * and nothing else, make the screen list the run, fill Predicted and Confidence and offer the
 * run's sort keys, without a reload, keeping the scroll position and the selection.
 */
const P = '/projects/chest';
const N = 600;
const name = (i: number): string => `img-${String(i).padStart(4, '0')}.png`;

/** The engine's side: how many images the audit (run 7) has done so far. */
let audited = 0;
let auditState: RunSummary['state'] = null;

function rows(runId: number | undefined): DatasetImageRow[] {
  return Array.from({ length: N }, (_, i): DatasetImageRow => {
    const done = runId === 7 && i < audited;
    return {
      path: `scans/${name(i)}`,
      label: i % 2 ? 'pneumonia' : 'normal',
      width: 512,
      height: 512,
      predicted: done ? 'pneumonia' : null,
      confidence: done ? 0.5 + i / (4 * N) : null,
      correct: done ? i % 2 === 1 : null,
      metrics: done ? { deletion: 0.25 } : ({} as Record<string, number>),
      flags: [],
    };
  });
}

function summary(): ProjectSummary {
  const runs: RunSummary[] = auditState ? [{ id: 7, dataset: 'xray', method: 'grad-cam', modelFile: 'mobilenetv2.onnx', createdAt: 'now', results: audited, jobId: 1, state: auditState }] : [];
  return { path: P, name: 'chest', schemaVersion: 1, demo: false, datasets: [{ name: 'xray', images: N, labels: ['normal', 'pneumonia'], annotated: 0 }], runs };
}

const saved: Array<[object, string, PropertyDescriptor | undefined]> = [];
function stub(target: object, key: string, descriptor: PropertyDescriptor): void {
  saved.push([target, key, Object.getOwnPropertyDescriptor(target, key)]);
  Object.defineProperty(target, key, { configurable: true, ...descriptor });
}
beforeAll(() => {
  stub(HTMLElement.prototype, 'clientHeight', { get: function (this: HTMLElement) { return this.classList.contains('scroller') ? 600 : 0; } });
  stub(HTMLElement.prototype, 'clientWidth', { get: function (this: HTMLElement) { return this.classList.contains('scroller') ? 900 : 0; } });
  stub(globalThis, 'ResizeObserver', { value: class { observe(): void {} unobserve(): void {} disconnect(): void {} } });
  stub(URL, 'createObjectURL', { value: vi.fn(() => 'blob:thumb') });
  stub(URL, 'revokeObjectURL', { value: vi.fn() });
});
afterAll(() => {
  for (const [target, key, descriptor] of saved.reverse()) {
    if (descriptor) Object.defineProperty(target, key, descriptor);
    else delete (target as Record<string, unknown>)[key];
  }
});

let stop: (() => void) | null = null;
afterEach(() => stop?.());

describe('the Dataset screen while an audit runs and finishes', () => {
  it('lists the run, fills Predicted and Confidence and offers the run’s sort keys without a reload', async () => {
    audited = 0;
    auditState = null;
    const fake = fakeEngine({
      'projects.open': () => summary(),
      'datasets.images': (p) => {
        const all = rows(p.runId);
        return { total: all.length, metricColumns: p.runId === 7 && audited > 0 ? ['deletion'] : [], rows: all.slice(p.offset, p.offset + p.limit) };
      },
      'datasets.thumbnails': (p) => p.paths.map((path) => ({ path, mime: 'image/png' as const, width: 128, height: 128, data: new Uint8Array([137, 80, 78, 71]) })),
      'jobs.list': () => [],
    });
    const ws = new Workspace(fake.api);
    ws.project = summary();
    ws.dataset = 'xray';
    ws.screen = 'dataset';
    stop = followProjectChanges(ws, { delayMs: 5 });
    render(DatasetScreen, { props: { ws } });

    expect(screen.getByText('No audit yet.')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Table' }));
    const grid = () => screen.getByRole('grid', { name: 'Images of xray' });
    await waitFor(() => expect(within(grid()).getByRole('row', { name: /img-0000\.png/ })).toBeTruthy());
    const sortKeys = () => [...(screen.getByLabelText('Sort by') as HTMLSelectElement).options].map((o) => o.value);
    expect(sortKeys()).toEqual(['path', 'label']);
    expect(within(grid()).getByRole('row', { name: /img-0003\.png/ }).textContent).toContain('–');

    // The user selects an image and scrolls down a little.
    await fireEvent.click(within(grid()).getByRole('row', { name: /img-0003\.png/ }));
    grid().scrollTop = 120;
    await fireEvent.scroll(grid());

    // The audit starts and its first results land: the engine says so.
    auditState = 'running';
    audited = 2;
    fake.emit('project.changed', { project: P, what: 'audit', runId: 7, dataset: 'xray', running: true });
    await waitFor(() => expect(screen.queryByText('No audit yet.')).toBeNull());
    expect(screen.getByRole('button', { name: /#7 grad-cam/ }).getAttribute('aria-pressed')).toBe('true');
    await waitFor(() => expect(sortKeys()).toEqual(['path', 'label', 'predicted', 'confidence', 'deletion']));
    expect(within(grid()).getByRole('row', { name: /img-0001\.png/ }).textContent).toContain('pneumonia');

    // It finishes: every row in view has its prediction, in place.
    auditState = 'done';
    audited = N;
    fake.emit('project.changed', { project: P, what: 'audit', runId: 7, dataset: 'xray', running: false });
    await waitFor(() => expect(within(grid()).getByRole('row', { name: /img-0008\.png/ }).textContent).toContain('pneumonia'));
    expect(screen.getByRole('button', { name: /#7 grad-cam/ }).textContent).toContain('done');
    expect(within(grid()).getByRole('columnheader', { name: /Confidence/ })).toBeTruthy();
    expect(grid().scrollTop).toBe(120);
    expect(within(grid()).getByRole('row', { name: /img-0003\.png/ }).getAttribute('aria-selected')).toBe('true');
    // Pages were fetched again (no new query from the top), the first one each time.
    const offsets = fake.callsOf('datasets.images').map((p) => (p as { offset: number; runId?: number }).runId ?? 0);
    expect(offsets.filter((r) => r === 7).length).toBeGreaterThanOrEqual(2);
  });
});
