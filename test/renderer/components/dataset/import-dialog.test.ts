// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../../../../src/shared/contract/dataset-import';
import type { Params } from '../../../../src/shared/contract/requests';
import { ProjectSummary } from '../../../../src/shared/contract/project';
import { Workspace } from '../../../../src/renderer/src/lib/state/workspace.svelte';
import ImportDialog from '../../../../src/renderer/src/components/dataset/ImportDialog.svelte';
import { fakeEngine } from '../../helpers/fake-engine';

const project = ProjectSummary.parse({ path: '/home/ana/study', name: 'study', schemaVersion: 1, demo: false, datasets: [], runs: [] });

/** What the engine answers: a CSV with one bad row, whether previewed or imported (the engine's own tests hold it to that). */
function report(dataset: string): ImportReport {
  return {
    dataset,
    images: { added: 2, updated: 0, unchanged: 0 },
    annotations: { added: 0, unchanged: 0 },
    problems: [{ where: 'labels.csv line 3', reason: 'expected path,label[,split] but found 1 field(s)' }],
  };
}

function dialog(answer: (params: Params<'datasets.import'>) => ImportReport = (p) => report(p.dataset)) {
  const engine = fakeEngine({ 'datasets.import': answer });
  const ws = new Workspace(engine.api);
  ws.project = project;
  const imported: ImportReport[] = [];
  render(ImportDialog, { props: { ws, onimported: (r: ImportReport) => void imported.push(r), onerror: (e) => { throw e; } } });
  return { engine, imported };
}

async function fillCsv(): Promise<void> {
  await fireEvent.change(screen.getByRole('combobox', { name: 'Format' }), { target: { value: 'csv' } });
  await fireEvent.input(screen.getByLabelText('Dataset name'), { target: { value: 'photos' } });
  await fireEvent.input(screen.getByLabelText('CSV file'), { target: { value: '/data/labels.csv' } });
  await fireEvent.input(screen.getByLabelText('Image folder'), { target: { value: '/data/images' } });
}

describe('the dataset import dialog', () => {
  it('Preview lists the counts and every problem row and writes nothing; Confirm import sends the same request without preview', async () => {
    const { engine, imported } = dialog();
    await fillCsv();
    await fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const preview = await screen.findByRole('dialog', { name: 'Import preview' });
    expect(preview.textContent).toContain('Would add 2 images');
    const rows = within(within(preview).getByRole('table')).getAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual(['WhereProblem', 'labels.csv line 3expected path,label[,split] but found 1 field(s)']);
    // As the engine receives it: the contract's defaults filled in.
    const csv = { format: 'csv', project: '/home/ana/study', dataset: 'photos', csv: '/data/labels.csv', root: '/data/images', create: false };
    expect(engine.callsOf('datasets.import')).toEqual([{ ...csv, preview: true }]);
    expect(imported).toEqual([]);
    await fireEvent.click(within(preview).getByRole('button', { name: 'Confirm import' }));
    await waitFor(() => expect(imported).toHaveLength(1));
    expect(engine.callsOf('datasets.import').at(-1)).toEqual({ ...csv, preview: false });
    expect(screen.queryByRole('dialog', { name: 'Import preview' })).toBeNull();
  });

  it('Import on a form not yet previewed previews first and stops at a problem; a changed form needs a new preview', async () => {
    const { engine, imported } = dialog();
    await fillCsv();
    await fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    await screen.findByRole('dialog', { name: 'Import preview' });
    expect(engine.callsOf('datasets.import')).toHaveLength(1);
    expect(imported).toEqual([]);
    // Another image folder: the preview no longer describes the form, so it goes.
    await fireEvent.input(screen.getByLabelText('Image folder'), { target: { value: '/data/other' } });
    expect(screen.queryByRole('dialog', { name: 'Import preview' })).toBeNull();
  });

  it('Import of a form whose preview has no problem imports at once', async () => {
    const { engine, imported } = dialog((p) => ({ ...report(p.dataset), problems: [] }));
    await fireEvent.input(screen.getByLabelText('Dataset name'), { target: { value: 'photos' } });
    await fireEvent.input(screen.getByLabelText('Folder'), { target: { value: '/data/photos' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(imported).toHaveLength(1));
    const folder = { format: 'folder', project: '/home/ana/study', dataset: 'photos', folder: '/data/photos', layout: 'auto', create: false };
    expect(engine.callsOf('datasets.import')).toEqual([
      { ...folder, preview: true },
      { ...folder, preview: false },
    ]);
  });
});
