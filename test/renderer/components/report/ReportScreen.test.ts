// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ProjectSummary } from '../../../../src/shared/contract/project';
import type { ReportSpec } from '../../../../src/shared/contract/report';
import { draftStorageKey } from '../../../../src/renderer/src/lib/state/report-draft-record';
import { Workspace } from '../../../../src/renderer/src/lib/state/workspace.svelte';
import ReportScreen from '../../../../src/renderer/src/screens/ReportScreen.svelte';
import { methodSchema } from '../../helpers/catalogue-schemas';
import { fakeEngine } from '../../helpers/fake-engine';
import { tinyModelSummary } from '../../helpers/tiny-model-summary';

const model = tinyModelSummary();

const method = (id: string, label: string, family = 'gradient') => ({ id, family, label, summary: `${label} summary`, output: 'map' as const, stochastic: false, reference: '', params: methodSchema(id) });
const project = (path: string) => ProjectSummary.parse({ path, name: 'demo', schemaVersion: 1, demo: true, datasets: [{ name: 'samples', images: 6, labels: [], annotated: 0 }], runs: [] });

/** A workstation with the demo project open and one image in the report, over a fake engine that records report requests. */
function workstation(path = '/home/u/demo-project') {
  const specs: Array<z.input<typeof ReportSpec>> = [];
  const engine = fakeEngine({
    'report.render': ({ spec }) => {
      specs.push(spec);
      return { format: 'html', html: `<h1>${spec.title}</h1>`, contentHash: `hash-${specs.length}`, warnings: [] };
    },
  });
  const ws = new Workspace(engine.api);
  ws.model = model;
  ws.methods = [method('grad-cam', 'Grad-CAM', 'cam'), method('gradient', 'Saliency'), method('integrated-gradients', 'Integrated Gradients'), method('edge-detector', 'Edge detector (control)', 'control')];
  ws.project = project(path);
  flushSync();
  return { ws, specs };
}

const titleField = (): HTMLInputElement => screen.getByRole('textbox', { name: 'Title' });

describe('the report draft survives leaving the Report screen and reloading', () => {
  beforeEach(() => localStorage.clear());

  it('keeps the title, summary, ticks and images when the screen is left and opened again', async () => {
    const { ws } = workstation();
    ws.addToReport([{ dataset: 'samples', path: 'coffee.png' }]);
    const first = render(ReportScreen, { props: { ws } });
    await fireEvent.input(titleField(), { target: { value: 'Espresso check' } });
    await fireEvent.blur(titleField());
    await fireEvent.input(screen.getByRole('textbox', { name: 'Summary' }), { target: { value: 'Grad-CAM looks at the cup.' } });
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Integrated Gradients' }));
    first.unmount();

    render(ReportScreen, { props: { ws } });
    expect(titleField().value).toBe('Espresso check');
    expect((screen.getByRole('textbox', { name: 'Summary' }) as HTMLTextAreaElement).value).toBe('Grad-CAM looks at the cup.');
    expect((screen.getByRole('checkbox', { name: 'Integrated Gradients' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByText('coffee.png')).toBeTruthy();
  });

  it('stores the draft per project, so a reload (a new Workspace) brings it back; a damaged record is ignored', async () => {
    const { ws } = workstation('/p/one');
    ws.addToReport([{ dataset: 'samples', path: 'rocket.jpg' }]);
    render(ReportScreen, { props: { ws } });
    await fireEvent.input(titleField(), { target: { value: 'Rocket review' } });
    flushSync();
    expect(JSON.parse(localStorage.getItem(draftStorageKey('/p/one'))!).form.title).toBe('Rocket review');

    const reloaded = workstation('/p/one').ws;
    expect(reloaded.reportDraft.form.title).toBe('Rocket review');
    expect(reloaded.reportImages).toEqual([{ dataset: 'samples', path: 'rocket.jpg' }]);
    // Another project has its own (fresh) draft.
    expect(workstation('/p/two').ws.reportDraft.form.title).toBe('Model validation report');

    localStorage.setItem(draftStorageKey('/p/three'), '{"version":1,"form":{"title":42}}');
    const damaged = workstation('/p/three').ws;
    expect(damaged.reportDraft.form.title).toBe('Model validation report');
    expect(damaged.reportImages).toEqual([]);
  });

  it('ticks the recommended methods until the user ticks their own, in a plain list (no control methods)', async () => {
    const { ws } = workstation();
    ws.addToReport([{ dataset: 'samples', path: 'coffee.png' }]);
    render(ReportScreen, { props: { ws } });
    const ticked = () => screen.getAllByRole('checkbox').filter((c) => (c as HTMLInputElement).checked && ['Grad-CAM', 'Saliency', 'Integrated Gradients'].some((n) => c.parentElement?.textContent?.includes(n)));
    expect(ticked().map((c) => c.parentElement!.textContent!.trim())).toEqual(['Grad-CAM', 'Saliency']);
    expect(screen.queryByRole('checkbox', { name: 'Edge detector (control)' })).toBeNull();
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Grad-CAM' }));
    expect(ticked().map((c) => c.parentElement!.textContent!.trim())).toEqual(['Saliency']);
  });

  it('sends the inspector\'s display settings (colormap for the mode, opacity, normalisation, clipping) with the spec', async () => {
    const { ws, specs } = workstation();
    ws.addToReport([{ dataset: 'samples', path: 'coffee.png' }]);
    ws.display.opacity = 0.3;
    ws.display.mode = 'signed';
    ws.display.percentile = 97;
    render(ReportScreen, { props: { ws } });
    await fireEvent.click(screen.getByRole('button', { name: 'Update preview' }));
    await waitFor(() => expect(specs.length).toBeGreaterThan(0));
    expect(specs.at(-1)).toMatchObject({ colormap: 'coolwarm', opacity: 0.3, normalisation: 'signed', percentile: 97, methods: [{ method: 'grad-cam' }, { method: 'gradient' }] });
  });
});

describe('undo and redo of report edits', () => {
  beforeEach(() => localStorage.clear());

  it('Ctrl+Z outside a text field undoes a title change committed on blur; Ctrl+Y and Ctrl+Shift+Z redo', async () => {
    const { ws } = workstation();
    ws.addToReport([{ dataset: 'samples', path: 'coffee.png' }]);
    render(ReportScreen, { props: { ws } });
    await fireEvent.input(titleField(), { target: { value: 'Espresso check' } });
    await fireEvent.blur(titleField());
    // Inside the text field Ctrl+Z is the field's own: the report's history is not touched.
    await fireEvent.keyDown(titleField(), { key: 'z', ctrlKey: true });
    expect(titleField().value).toBe('Espresso check');

    await fireEvent.keyDown(window, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(titleField().value).toBe('Model validation report'));
    await fireEvent.keyDown(window, { key: 'y', ctrlKey: true });
    await waitFor(() => expect(titleField().value).toBe('Espresso check'));
    await fireEvent.keyDown(window, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(titleField().value).toBe('Model validation report'));
    await fireEvent.keyDown(window, { key: 'Z', ctrlKey: true, shiftKey: true });
    await waitFor(() => expect(titleField().value).toBe('Espresso check'));
  });

  it('undoes ticks and an image removal one step at a time, with the buttons too', async () => {
    const { ws } = workstation();
    ws.addToReport([{ dataset: 'samples', path: 'coffee.png' }, { dataset: 'samples', path: 'rocket.jpg' }]);
    render(ReportScreen, { props: { ws } });
    const undo = screen.getByRole('button', { name: 'Undo' });
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Integrated Gradients' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Remove rocket.jpg from the report' }));
    expect(ws.reportImages.map((i) => i.path)).toEqual(['coffee.png']);
    expect(undo.getAttribute('title')).toContain('Undo removing rocket.jpg');

    await fireEvent.click(undo);
    await waitFor(() => expect(ws.reportImages.map((i) => i.path)).toEqual(['coffee.png', 'rocket.jpg']));
    expect((screen.getByRole('checkbox', { name: 'Integrated Gradients' }) as HTMLInputElement).checked).toBe(true);
    await fireEvent.click(undo);
    await waitFor(() => expect((screen.getByRole('checkbox', { name: 'Integrated Gradients' }) as HTMLInputElement).checked).toBe(false));
    // Back to the recommended defaults, still ticked.
    expect((screen.getByRole('checkbox', { name: 'Grad-CAM' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByRole('button', { name: 'Redo' }).hasAttribute('disabled')).toBe(false);
  });
});
