// @vitest-environment jsdom
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectSummary } from '../../../src/shared/contract/project';
import AnnotationToolbar from '../../../src/renderer/src/components/annotations/AnnotationToolbar.svelte';
import { Workspace } from '../../../src/renderer/src/lib/state/workspace.svelte';
import DatasetScreen from '../../../src/renderer/src/screens/DatasetScreen.svelte';
import { methodSchema } from '../helpers/catalogue-schemas';
import { fakeEngine } from '../helpers/fake-engine';
import { tinyModelSummary } from '../helpers/tiny-model-summary';

const reason = 'Read-only: this project is on a read-only drive or folder; you can view it but not change it';

const model = tinyModelSummary();

/** The dataset screen of a project (read-only or not) with one dataset, over a fake engine that records every request. */
function datasetScreen(readOnly: boolean) {
  const engine = fakeEngine({
    'datasets.images': () => ({ total: 0, metricColumns: [], rows: [] }),
    'datasets.thumbnails': () => [],
    'jobs.list': () => [],
    audit: () => new Promise(() => {}),
  });
  const ws = new Workspace(engine.api);
  ws.model = model;
  ws.methods = [{ id: 'grad-cam', family: 'cam', label: 'Grad-CAM', summary: '', output: 'map', stochastic: false, reference: '', params: methodSchema('grad-cam') }];
  ws.project = ProjectSummary.parse({
    path: '/media/cdrom/study',
    name: 'study',
    schemaVersion: 1,
    demo: false,
    ...(readOnly ? { readOnly: true } : {}),
    datasets: [{ name: 'xray', images: 0, labels: [], annotated: 0 }],
    runs: [],
  });
  ws.dataset = 'xray';
  render(DatasetScreen, { props: { ws } });
  return engine;
}

describe('a read-only project', () => {
  // jsdom has no ResizeObserver (the dataset browser sizes its grid with one); nothing here resizes.
  const hadObserver = 'ResizeObserver' in globalThis;
  beforeAll(() => {
    if (!hadObserver) Object.defineProperty(globalThis, 'ResizeObserver', { configurable: true, value: class { observe(): void {} unobserve(): void {} disconnect(): void {} } });
  });
  afterAll(() => {
    if (!hadObserver) delete (globalThis as Record<string, unknown>)['ResizeObserver'];
  });

  it('says so where the project is shown, and every action that would change it is off with that reason', async () => {
    const engine = datasetScreen(true);
    expect(screen.getAllByRole('status').filter((s) => s.textContent === reason)).toHaveLength(1);
    const audit = screen.getByRole('button', { name: 'Audit all images' }) as HTMLButtonElement;
    expect(audit.disabled).toBe(true);
    expect(audit.title).toBe(reason);
    const importButton = screen.getByRole('button', { name: 'Import' }) as HTMLButtonElement;
    expect(importButton.disabled).toBe(true);
    expect(importButton.title).toBe(reason);
    for (const name of ['Dataset name', 'Folder']) expect((screen.getByLabelText(name) as HTMLInputElement).disabled).toBe(true);
    // Submitting the form anyway (Enter in a field) asks the engine for nothing.
    await fireEvent.submit(screen.getByRole('form', { name: 'Audit this dataset' }));
    expect(engine.callsOf('audit')).toEqual([]);
    expect(engine.callsOf('datasets.import')).toEqual([]);
  });

  it('a project that can be changed shows no banner, and auditing it starts a job', async () => {
    const engine = datasetScreen(false);
    expect(screen.queryByText(reason)).toBeNull();
    const audit = screen.getByRole('button', { name: 'Audit all images' }) as HTMLButtonElement;
    expect(audit.disabled).toBe(false);
    expect(audit.hasAttribute('title')).toBe(false);
    expect((screen.getByLabelText('Dataset name') as HTMLInputElement).disabled).toBe(false);
    await fireEvent.click(audit);
    expect(engine.callsOf('audit')).toEqual([expect.objectContaining({ project: '/media/cdrom/study', dataset: 'xray', method: 'grad-cam' })]);
  });

  it('the annotation tools are off, saying why, and the notes stay visible', () => {
    render(AnnotationToolbar, { props: { count: 3, disabled: true, reason } });
    const toolbar = screen.getByRole('toolbar');
    expect(within(toolbar).getByText(reason)).toBeTruthy();
    const box = within(toolbar).getByRole('button', { name: 'Box' }) as HTMLButtonElement;
    expect(box.disabled).toBe(true);
    expect(box.title).toBe(reason);
    expect((within(toolbar).getByRole('button', { name: 'Pan' }) as HTMLButtonElement).disabled).toBe(false);
    expect(within(toolbar).getByText('3 annotations')).toBeTruthy();
  });
});
