// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatasetImageRow, DatasetStudies, DatasetSummary, DicomImageFacts } from '../../../../src/shared/contract/project';
import DatasetBrowser from '../../../../src/renderer/src/components/dataset/DatasetBrowser.svelte';
import { fakeEngine } from '../../helpers/fake-engine';

const P = '/projects/chest';
const S1 = '1.2.826.1';
const S2 = '1.2.826.2';
const studies: DatasetStudies = {
  patients: 2,
  studies: [
    {
      uid: S1,
      description: 'Chest two views',
      patient: 'Patient 1',
      images: 3,
      series: [
        { uid: `${S1}.1`, number: 1, description: 'PA', modality: 'DX', images: 2, frames: 2 },
        { uid: `${S1}.2`, number: 2, description: 'Lateral', modality: 'DX', images: 1, frames: 30 },
      ],
    },
    { uid: S2, description: 'Knee', patient: 'Patient 2', images: 1, series: [{ uid: `${S2}.1`, number: 1, description: 'AP', modality: 'CR', images: 1, frames: 1 }] },
  ],
};

function facts(study: string, description: string, series: number, seriesDescription: string, modality: string, instance: number, frames = 1): DicomImageFacts {
  return { sopInstanceUid: `${study}.${series}.${instance}`, studyUid: study, studyDescription: description, seriesUid: `${study}.${series}`, seriesNumber: series, seriesDescription, instanceNumber: instance, modality, frames };
}
const row = (path: string, dicom: DicomImageFacts): DatasetImageRow => ({ path, label: null, width: 48, height: 40, predicted: null, confidence: null, correct: null, metrics: {}, flags: [], dicom });
const all: DatasetImageRow[] = [
  row('P1/s1/IM1.dcm', facts(S1, 'Chest two views', 1, 'PA', 'DX', 1)),
  row('P1/s1/IM2.dcm', facts(S1, 'Chest two views', 1, 'PA', 'DX', 2)),
  row('P1/s2/IM1', facts(S1, 'Chest two views', 2, 'Lateral', 'DX', 1, 30)),
  row('P2/s1/IM1.dcm', facts(S2, 'Knee', 1, 'AP', 'CR', 1)),
];
const dataset: DatasetSummary = { name: 'dx', images: all.length, labels: [], annotated: 0, dicom: { studies: 2, series: 3 } };

function engine() {
  return fakeEngine({
    'datasets.studies': () => studies,
    'datasets.images': (p) => {
      const rows = all.filter((r) => (!p.studyUid || r.dicom?.studyUid === p.studyUid) && (!p.seriesUid || r.dicom?.seriesUid === p.seriesUid));
      return { total: rows.length, metricColumns: [], rows: rows.slice(p.offset, p.offset + p.limit) };
    },
    'datasets.thumbnails': (p) => p.paths.map((path) => ({ path, error: 'not in this test' })),
  });
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
});

afterAll(() => {
  for (const [target, key, descriptor] of saved.reverse()) {
    if (descriptor) Object.defineProperty(target, key, descriptor);
    else delete (target as Record<string, unknown>)[key];
  }
});

function mount(summary: DatasetSummary = dataset) {
  const fake = engine();
  render(DatasetBrowser, { props: { api: fake.api, project: P, dataset: summary, onopen: vi.fn() } });
  return { fake, grid: () => screen.getByRole('grid', { name: 'Images of dx' }) };
}

const options = (name: string): string[] => Array.from((screen.getByRole('combobox', { name }) as HTMLSelectElement).options).map((o) => o.textContent!.trim());
const lastImagesCall = (fake: ReturnType<typeof engine>): Record<string, unknown> => fake.callsOf('datasets.images').at(-1) as Record<string, unknown>;

describe('DatasetBrowser on a DICOM dataset', () => {
  it('offers the studies (patients numbered) and their series, and filters the images by them', async () => {
    const { fake, grid } = mount();
    await waitFor(() => expect(options('Study')).toHaveLength(3));
    expect(fake.callsOf('datasets.studies')).toEqual([{ project: P, dataset: 'dx' }]);
    expect(options('Study')).toEqual(['All studies', 'Patient 1 · Chest two views · 2 series · 3 images', 'Patient 2 · Knee · 1 series · 1 image']);
    // No study chosen: every series, grouped by study.
    expect(options('Series')).toEqual(['All series', '1 PA · DX · 2 images', '2 Lateral · DX · 1 image (30 frames)', '1 AP · CR · 1 image']);
    expect(Array.from(screen.getByRole('combobox', { name: 'Series' }).querySelectorAll('optgroup')).map((g) => g.label)).toEqual(['Patient 1 · Chest two views', 'Patient 2 · Knee']);
    await waitFor(() => expect(screen.getByText('4 images')).toBeTruthy());

    await fireEvent.change(screen.getByRole('combobox', { name: 'Study' }), { target: { value: S1 } });
    await waitFor(() => expect(lastImagesCall(fake)).toMatchObject({ studyUid: S1 }));
    expect(lastImagesCall(fake)['seriesUid']).toBeUndefined();
    await waitFor(() => expect(screen.getByText('3 of 4 images')).toBeTruthy());
    expect(options('Series')).toEqual(['All series', '1 PA · DX · 2 images', '2 Lateral · DX · 1 image (30 frames)']);

    await fireEvent.change(screen.getByRole('combobox', { name: 'Series' }), { target: { value: `${S1}.2` } });
    await waitFor(() => expect(lastImagesCall(fake)).toMatchObject({ studyUid: S1, seriesUid: `${S1}.2` }));
    await waitFor(() => expect(screen.getByText('1 of 4 images')).toBeTruthy());
    // The grid names a DICOM image by its series and instance (the file name says little), the path in its title.
    const cell = within(grid()).getAllByRole('gridcell')[0]!;
    expect(cell.querySelector('.name')!.textContent).toBe('2 Lateral · DX · #1 · 30 frames (first shown)');
    expect(cell.querySelector('.name')!.getAttribute('title')).toBe('P1/s2/IM1');

    // Choosing a series of another study moves the study menu with it.
    await fireEvent.change(screen.getByRole('combobox', { name: 'Study' }), { target: { value: '' } });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Series' }), { target: { value: `${S2}.1` } });
    await waitFor(() => expect(lastImagesCall(fake)).toMatchObject({ studyUid: S2, seriesUid: `${S2}.1` }));
    expect((screen.getByRole('combobox', { name: 'Study' }) as HTMLSelectElement).value).toBe(S2);
  });

  it('shows Study, Series and Instance columns in the table and sorts in DICOM order', async () => {
    const { fake, grid } = mount();
    await waitFor(() => expect(within(grid()).getAllByRole('gridcell').length).toBeGreaterThan(0));
    await fireEvent.click(screen.getByRole('button', { name: 'Table' }));
    await waitFor(() => expect(within(grid()).getAllByRole('columnheader').length).toBe(9));
    expect(within(grid()).getAllByRole('columnheader').map((h) => h.textContent?.replace(/[↑↓]/, '').trim())).toEqual([
      'Thumbnail',
      'Path',
      'Label',
      'Study',
      'Series',
      'Instance',
      'Predicted',
      'Confidence',
      'Flags',
    ]);
    expect(grid().getAttribute('aria-colcount')).toBe('9');
    const third = within(grid()).getAllByRole('row')[3]!;
    expect(within(third).getAllByRole('gridcell').map((c) => c.textContent?.trim()).slice(1, 6)).toEqual(['P1/s2/IM1', 'unlabelled', 'Chest two views', '2 Lateral · DX', '#1 · 30 frames (first shown)']);
    expect(options('Sort by')).toContain('Study, series, instance');
    await fireEvent.click(within(grid()).getByRole('button', { name: /^Series/ }));
    await waitFor(() => expect(lastImagesCall(fake)).toMatchObject({ sort: 'series', descending: false }));
  });

  it('a dataset without DICOM has no study or series menu and asks for none', async () => {
    const { fake, grid } = mount({ name: 'dx', images: 4, labels: [], annotated: 0 });
    await waitFor(() => expect(within(grid()).getAllByRole('gridcell').length).toBeGreaterThan(0));
    expect(screen.queryByRole('combobox', { name: 'Study' })).toBeNull();
    expect(fake.callsOf('datasets.studies')).toEqual([]);
    expect(options('Sort by')).toEqual(['Path', 'Label']);
  });
});
