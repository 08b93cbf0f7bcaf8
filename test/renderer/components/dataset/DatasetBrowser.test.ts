// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatasetImageRow, DatasetSummary } from '../../../../src/shared/contract/project';
import { LumenError } from '../../../../src/shared/errors';
import DatasetBrowser from '../../../../src/renderer/src/components/dataset/DatasetBrowser.svelte';
import { fakeEngine } from '../../helpers/fake-engine';

const P = '/projects/chest';
const N = 10_000;
const name = (i: number): string => `img-${String(i).padStart(5, '0')}.png`;
const labels = ['normal', 'pneumonia'];
const all: DatasetImageRow[] = Array.from({ length: N }, (_, i) => ({
  path: `scans/${name(i)}`,
  label: labels[i % 2]!,
  width: 512,
  height: 512,
  predicted: i % 7 === 0 ? 'pneumonia' : labels[i % 2]!,
  confidence: (i % 100) / 100,
  correct: i % 7 === 0 ? labels[i % 2] === 'pneumonia' : true,
  metrics: { borderMass: (i % 10) / 10 },
  flags: i % 50 === 0 ? ['60% of the attribution lies on the image border'] : [],
}));
const dataset: DatasetSummary = { name: 'xray', images: N, labels, annotated: 0 };

function engine() {
  return fakeEngine({
    'datasets.images': (p) => {
      let rows = all;
      if (p.search) rows = rows.filter((r) => r.path.toLowerCase().includes(p.search!.toLowerCase()) || r.label?.includes(p.search!));
      if (p.label) rows = rows.filter((r) => r.label === p.label);
      if (p.sort === 'confidence') rows = [...rows].sort((a, b) => a.confidence! - b.confidence! || a.path.localeCompare(b.path));
      if (p.descending) rows = [...rows].reverse();
      const withRun = p.runId !== undefined;
      return {
        total: rows.length,
        metricColumns: withRun ? ['borderMass'] : [],
        rows: rows.slice(p.offset, p.offset + p.limit).map((r) => (withRun ? r : { ...r, predicted: null, confidence: null, correct: null, metrics: {}, flags: [] })),
      };
    },
    'datasets.thumbnails': (p) => p.paths.map((path) => ({ path, mime: 'image/png' as const, width: 128, height: 128, data: new Uint8Array([137, 80, 78, 71]) })),
  });
}

const saved: Array<[object, string, PropertyDescriptor | undefined]> = [];
function stub(target: object, key: string, descriptor: PropertyDescriptor): void {
  saved.push([target, key, Object.getOwnPropertyDescriptor(target, key)]);
  Object.defineProperty(target, key, { configurable: true, ...descriptor });
}

beforeAll(() => {
  // jsdom lays nothing out: the scroller is 900 × 600 here.
  stub(HTMLElement.prototype, 'clientHeight', { get: function (this: HTMLElement) { return this.classList.contains('scroller') ? 600 : 0; } });
  stub(HTMLElement.prototype, 'clientWidth', { get: function (this: HTMLElement) { return this.classList.contains('scroller') ? 900 : 0; } });
  stub(globalThis, 'ResizeObserver', { value: class { observe(): void {} unobserve(): void {} disconnect(): void {} } });
  let n = 0;
  stub(URL, 'createObjectURL', { value: vi.fn(() => `blob:thumb-${++n}`) });
  stub(URL, 'revokeObjectURL', { value: vi.fn() });
});

afterAll(() => {
  for (const [target, key, descriptor] of saved.reverse()) {
    if (descriptor) Object.defineProperty(target, key, descriptor);
    else delete (target as Record<string, unknown>)[key];
  }
});

function mount(extra: Record<string, unknown> = {}) {
  const fake = engine();
  const onopen = vi.fn();
  const onselectionchange = vi.fn();
  const view = render(DatasetBrowser, { props: { api: fake.api, project: P, dataset, onopen, onselectionchange, ...extra } });
  return { ...view, fake, onopen, onselectionchange, grid: () => screen.getByRole('grid', { name: 'Images of xray' }) };
}

const lastSelection = (fn: ReturnType<typeof vi.fn>): string[] => (fn.mock.lastCall?.[0] as string[]).slice().sort();

describe('DatasetBrowser', () => {
  it('shows a grid of 10,000 images with only the rows in view in the DOM', async () => {
    const { fake, grid } = mount();
    await waitFor(() => expect(within(grid()).getAllByRole('gridcell').length).toBeGreaterThan(0));
    expect(screen.getByText('10,000 images')).toBeTruthy();
    // 880 px wide: 5 cells of 164 px; 600 px high: 3 rows in view, 2 more below.
    expect(grid().getAttribute('aria-rowcount')).toBe('2000');
    expect(grid().getAttribute('aria-colcount')).toBe('5');
    expect(within(grid()).getAllByRole('gridcell')).toHaveLength(25);
    expect(within(grid()).getAllByRole('row')[0]!.getAttribute('aria-rowindex')).toBe('1');
    expect(fake.callsOf('datasets.images')).toEqual([{ project: P, dataset: 'xray', sort: 'path', descending: false, offset: 0, limit: 200 }]);
    // Thumbnails of what is shown, in one batch.
    await waitFor(() => expect(fake.callsOf('datasets.thumbnails')).toHaveLength(1));
    const asked = fake.callsOf('datasets.thumbnails')[0] as { paths: string[]; size: number };
    expect(asked.paths).toHaveLength(25);
    expect(asked.paths[0]).toBe(`scans/${name(0)}`);
    await waitFor(() => expect(grid().querySelectorAll('img')).toHaveLength(25));
    const first = within(grid()).getAllByRole('gridcell')[0]!;
    expect(first.textContent).toContain(name(0));
    expect(first.textContent).toContain('normal');
  });

  it('fetches the pages of the rows scrolled to, and only those', async () => {
    const { fake, grid } = mount();
    await waitFor(() => expect(within(grid()).getAllByRole('gridcell')).toHaveLength(25));
    grid().scrollTop = 222 * 1000; // row 1000: items 5000..
    await fireEvent.scroll(grid());
    await waitFor(() => expect(grid().textContent).toContain(name(5000)));
    const offsets = fake.callsOf('datasets.images').map((p) => (p as { offset: number }).offset);
    // The page of the middle of the view first.
    expect(offsets).toEqual([0, 5000, 4800]);
    expect(within(grid()).getAllByRole('gridcell').length).toBeLessThanOrEqual(45);
    expect(within(grid()).getAllByRole('row')[0]!.getAttribute('aria-rowindex')).toBe('999');
  });

  it('switches to a table with sortable columns, run columns and flags', async () => {
    const { grid } = mount({ runId: 3 });
    await waitFor(() => expect(within(grid()).getAllByRole('gridcell').length).toBeGreaterThan(0));
    await fireEvent.click(screen.getByRole('button', { name: 'Table' }));
    expect(screen.getByRole('button', { name: 'Table' }).getAttribute('aria-pressed')).toBe('true');
    await waitFor(() => expect(grid().getAttribute('aria-rowcount')).toBe(String(N + 1)));
    const headers = within(grid()).getAllByRole('columnheader').map((h) => h.textContent?.replace(/[↑↓]/, '').trim());
    expect(headers).toEqual(['Thumbnail', 'Path', 'Label', 'Predicted', 'Confidence', 'Share on the border', 'Flags']);
    // A diagnostic column says what it is in its tooltip, never as the internal id.
    expect(within(grid()).getByRole('button', { name: /Share on the border/ }).getAttribute('title')).toMatch(/Neither: a diagnostic\. Stored by every audit/);
    const row = within(grid()).getByRole('row', { name: /img-00000\.png/ });
    expect(row.getAttribute('aria-rowindex')).toBe('2');
    expect(row.textContent).toContain('1 flag');
    // Row 14 (normal, predicted pneumonia) is a mistake: marked in words, not only in colour.
    expect(within(grid()).getByRole('row', { name: /img-00014\.png/ }).textContent).toContain('wrong');
    expect(within(grid()).getByRole('row', { name: /img-00007\.png/ }).textContent).not.toContain('wrong');
    // Clicking a header sorts by it.
    await fireEvent.click(within(grid()).getByRole('button', { name: 'Confidence' }));
    await waitFor(() => expect(within(grid()).getByRole('columnheader', { name: /Confidence/ }).getAttribute('aria-sort')).toBe('ascending'));
    expect((screen.getByLabelText('Sort by') as HTMLSelectElement).value).toBe('confidence');
    // The order button says the order the images are in now, and what a click does.
    const order = screen.getByRole('button', { name: /^Order:/ });
    expect(order.textContent?.trim()).toBe('↑ Lowest first');
    expect(order.getAttribute('aria-label')).toBe('Order: Lowest first (click for Highest first)');
    await fireEvent.click(order);
    await waitFor(() => expect(within(grid()).getByRole('columnheader', { name: /Confidence/ }).getAttribute('aria-sort')).toBe('descending'));
    expect(order.textContent?.trim()).toBe('↓ Highest first');
    await fireEvent.change(screen.getByLabelText('Sort by'), { target: { value: 'path' } });
    expect(screen.getByRole('button', { name: /^Order:/ }).textContent?.trim()).toBe('↓ Z → A');
  });

  it('selects by click, Shift-click and Ctrl-click, and opens by double click and Enter', async () => {
    const { grid, onselectionchange, onopen } = mount();
    await waitFor(() => expect(within(grid()).getAllByRole('gridcell')).toHaveLength(25));
    const cell = (i: number) => within(grid()).getByRole('gridcell', { name: new RegExp(name(i).replace('.', '\\.')) });
    await fireEvent.click(cell(2));
    expect(lastSelection(onselectionchange)).toEqual([`scans/${name(2)}`]);
    expect(cell(2).getAttribute('aria-selected')).toBe('true');
    await fireEvent.click(cell(6), { shiftKey: true });
    await waitFor(() => expect(lastSelection(onselectionchange)).toHaveLength(5));
    expect(lastSelection(onselectionchange)).toEqual([2, 3, 4, 5, 6].map((i) => `scans/${name(i)}`));
    await fireEvent.click(cell(4), { ctrlKey: true });
    expect(lastSelection(onselectionchange)).toEqual([2, 3, 5, 6].map((i) => `scans/${name(i)}`));
    expect(screen.getByText('4 selected')).toBeTruthy();

    await fireEvent.dblClick(cell(3));
    expect(onopen).toHaveBeenLastCalledWith(`scans/${name(3)}`);

    // Keys: the grid keeps the focus and points at the item.
    grid().focus();
    await fireEvent.keyDown(grid(), { key: 'ArrowDown' }); // from 4 (the last clicked) to 9
    expect(grid().getAttribute('aria-activedescendant')).toBe(cell(9).id);
    await fireEvent.keyDown(grid(), { key: 'ArrowRight' });
    await fireEvent.keyDown(grid(), { key: 'Enter' });
    expect(onopen).toHaveBeenLastCalledWith(`scans/${name(10)}`);
    await fireEvent.keyDown(grid(), { key: ' ' });
    expect(lastSelection(onselectionchange)).toContain(`scans/${name(10)}`);
    await fireEvent.keyDown(grid(), { key: 'Escape' });
    expect(onselectionchange).toHaveBeenLastCalledWith([]);
  });

  it('selects all matching images, fetching the paths it has not seen', async () => {
    const { grid, onselectionchange, fake } = mount();
    await waitFor(() => expect(within(grid()).getAllByRole('gridcell')).toHaveLength(25));
    await fireEvent.click(screen.getByRole('button', { name: 'Select all matching' }));
    await waitFor(() => expect(onselectionchange).toHaveBeenCalled());
    const selected = onselectionchange.mock.lastCall![0] as string[];
    expect(selected).toHaveLength(N);
    expect(new Set(selected).size).toBe(N);
    expect(screen.getByText('10,000 selected')).toBeTruthy();
    // The first page was cached; the rest came in windows of 1000.
    const windows = fake.callsOf('datasets.images').slice(1).map((p) => [(p as { offset: number }).offset, (p as { limit: number }).limit]);
    expect(windows[0]).toEqual([200, 1000]);
    expect(windows).toHaveLength(10);
    await fireEvent.click(screen.getByRole('button', { name: 'Clear selection' }));
    expect(onselectionchange).toHaveBeenLastCalledWith([]);
  });

  it('searches after a pause in typing, and filters by label', async () => {
    const { grid, fake } = mount();
    await waitFor(() => expect(within(grid()).getAllByRole('gridcell')).toHaveLength(25));
    await fireEvent.input(screen.getByRole('searchbox', { name: 'Search' }), { target: { value: 'img-0001' } });
    expect(fake.callsOf('datasets.images')).toHaveLength(1);
    await waitFor(() => expect(screen.getByText('10 of 10,000 images')).toBeTruthy());
    expect(fake.callsOf('datasets.images').at(-1)).toMatchObject({ search: 'img-0001', offset: 0 });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Label' }), { target: { value: 'pneumonia' } });
    await waitFor(() => expect(screen.getByText('5 of 10,000 images')).toBeTruthy());
    expect(fake.callsOf('datasets.images').at(-1)).toMatchObject({ search: 'img-0001', label: 'pneumonia' });
  });

  it('shows an error of the engine and tries again when it is dismissed', async () => {
    let failures = 1;
    const fake = fakeEngine({
      'datasets.images': () => {
        if (failures-- > 0) throw new LumenError('busy', 'The project is open in another Lumen.', 'Close it there.');
        return { total: 1, metricColumns: [], rows: [all[0]!] };
      },
      'datasets.thumbnails': (p) => p.paths.map((path) => ({ path, error: 'cannot decode' })),
    });
    render(DatasetBrowser, { props: { api: fake.api, project: P, dataset, onopen: vi.fn() } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('open in another Lumen');
    await fireEvent.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(screen.getByText('1 of 10,000 images')).toBeTruthy());
    // A thumbnail the engine could not make says why.
    await waitFor(() => expect(screen.getByTitle('No thumbnail: cannot decode')).toBeTruthy());
  });

  it('revokes its thumbnails when it goes', async () => {
    const { grid, unmount } = mount();
    await waitFor(() => expect(grid().querySelectorAll('img')).toHaveLength(25));
    const revoke = URL.revokeObjectURL as ReturnType<typeof vi.fn>;
    revoke.mockClear();
    unmount();
    expect(revoke).toHaveBeenCalledTimes(25);
  });
});
