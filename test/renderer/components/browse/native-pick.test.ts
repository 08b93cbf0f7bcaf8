// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PickRequest, PickResult } from '../../../../src/shared/contract/native-picks';
import { ProjectSummary } from '../../../../src/shared/contract/project';
import { Workspace } from '../../../../src/renderer/src/lib/state/workspace.svelte';
import DatasetScreen from '../../../../src/renderer/src/screens/DatasetScreen.svelte';
import StartScreen from '../../../../src/renderer/src/screens/StartScreen.svelte';
import { fakeEngine } from '../../helpers/fake-engine';

/**
 * The boundary the page sees in Electron: the preload's `window.lumen.pick`. The stand-in answers
 * each dialog with the next scripted answer and records what was asked; nothing else of the
 * preload is needed by the screens under test (they talk to the engine through `ws.api`).
 */
function installPick(answers: unknown[]): PickRequest[] {
  const asked: PickRequest[] = [];
  const pick = async (request: PickRequest): Promise<PickResult> => {
    asked.push(request);
    if (answers.length === 0) throw new Error('the test scripted no answer for this dialog');
    return answers.shift() as PickResult;
  };
  Object.defineProperty(window, 'lumen', { configurable: true, value: { pick } });
  return asked;
}

const project = (datasets: Array<{ name: string; images: number }>, readOnly = false) =>
  ProjectSummary.parse({
    path: '/home/ana/study',
    name: 'study',
    schemaVersion: 1,
    demo: false,
    ...(readOnly ? { readOnly: true } : {}),
    datasets: datasets.map((d) => ({ ...d, labels: [], annotated: 0 })),
    runs: [],
  });

function startScreen() {
  const engine = fakeEngine({
    'projects.recent': () => [],
    'samples.list': () => [],
    'projects.open': (params) => ({ ...project([]), path: params.path }),
  });
  const ws = new Workspace(engine.api);
  render(StartScreen, { props: { ws } });
  return { engine, ws, field: screen.getByLabelText('Project folder') as HTMLInputElement };
}

function datasetScreen(readOnly = false) {
  const engine = fakeEngine({
    'datasets.import': (params) => ({ dataset: params.dataset, images: { added: 4, updated: 0, unchanged: 0 }, annotations: { added: 0, unchanged: 0 }, problems: [] }),
    'projects.open': () => project([{ name: 'photos', images: 4 }]),
    'datasets.images': () => ({ total: 0, metricColumns: [], rows: [] }),
    'datasets.thumbnails': () => [],
    'jobs.list': () => [],
  });
  const ws = new Workspace(engine.api);
  ws.project = project([], readOnly);
  render(DatasetScreen, { props: { ws } });
  return { engine, ws, field: screen.getByLabelText('Folder') as HTMLInputElement };
}

const browse = (): HTMLButtonElement => screen.getByRole('button', { name: 'Browse…' }) as HTMLButtonElement;

describe('Browse… beside the path fields', () => {
  // jsdom has no ResizeObserver (the dataset browser shown after an import sizes its grid with one).
  const hadObserver = 'ResizeObserver' in globalThis;
  beforeAll(() => {
    if (!hadObserver) Object.defineProperty(globalThis, 'ResizeObserver', { configurable: true, value: class { observe(): void {} unobserve(): void {} disconnect(): void {} } });
  });
  afterAll(() => {
    if (!hadObserver) delete (globalThis as Record<string, unknown>)['ResizeObserver'];
  });
  afterEach(() => {
    delete (window as unknown as Record<string, unknown>)['lumen'];
  });

  describe('in the browser door (no window.lumen)', () => {
    it('the start screen has no Browse button and the typed path is what opens', async () => {
      const { engine, field } = startScreen();
      expect(screen.queryByRole('button', { name: 'Browse…' })).toBeNull();
      await fireEvent.input(field, { target: { value: '/home/ana/typed' } });
      await fireEvent.click(screen.getByRole('button', { name: 'Open' }));
      await waitFor(() => expect(engine.callsOf('projects.open')).toEqual([{ path: '/home/ana/typed', create: false }]));
    });

    it('the import form has no Browse button', () => {
      datasetScreen();
      expect(screen.getByLabelText('Folder')).toBeTruthy();
      expect(screen.queryByRole('button', { name: 'Browse…' })).toBeNull();
    });
  });

  describe('in the app (window.lumen.pick)', () => {
    it('the project folder picked in the dialog fills the field, and Create creates it there', async () => {
      const asked = installPick([{ ok: true, paths: ['/home/ana/new study'] }]);
      const { engine, field } = startScreen();
      await fireEvent.click(browse());
      await waitFor(() => expect(field.value).toBe('/home/ana/new study'));
      expect(asked).toEqual([{ kind: 'project' }]);
      // Picking only fills the field: the user still chooses Open or Create.
      expect(engine.callsOf('projects.open')).toEqual([]);
      await fireEvent.click(screen.getByRole('button', { name: 'Create' }));
      await waitFor(() => expect(engine.callsOf('projects.open')).toEqual([{ path: '/home/ana/new study', create: true }]));
    });

    it('a cancelled dialog leaves the typed path as it was', async () => {
      const asked = installPick([{ ok: true, paths: [] }]);
      const { ws, field } = startScreen();
      await fireEvent.input(field, { target: { value: '/home/ana/typed' } });
      await fireEvent.click(browse());
      await waitFor(() => expect(asked).toHaveLength(1));
      await waitFor(() => expect(browse().disabled).toBe(false));
      expect(field.value).toBe('/home/ana/typed');
      expect(ws.error).toBeNull();
    });

    it('a dialog that fails says so in the workspace banner and changes nothing', async () => {
      installPick([{ ok: false, error: { code: 'invalid-request', message: 'Dialogs are only opened for Lumen’s own window.' } }]);
      const { ws, field } = startScreen();
      await fireEvent.click(browse());
      await waitFor(() => expect(ws.error?.message).toBe('Dialogs are only opened for Lumen’s own window.'));
      expect(field.value).toBe('');
    });

    it('an answer outside the contract is refused, not used as a path', async () => {
      installPick([{ ok: true, paths: [42] }]);
      const { ws, field } = startScreen();
      await fireEvent.click(browse());
      await waitFor(() => expect(ws.error?.code).toBe('internal'));
      expect(field.value).toBe('');
    });

    it('the dataset folder picked in the dialog fills the Folder field and is what gets imported', async () => {
      const asked = installPick([{ ok: true, paths: ['/data/photos'] }]);
      const { engine, field } = datasetScreen();
      await fireEvent.input(screen.getByLabelText('Dataset name'), { target: { value: 'photos' } });
      await fireEvent.click(browse());
      await waitFor(() => expect(field.value).toBe('/data/photos'));
      expect(asked).toEqual([{ kind: 'dataset-folder' }]);
      await fireEvent.click(screen.getByRole('button', { name: 'Import' }));
      // The import dialog previews first (no problem here, so it imports at once).
      await waitFor(() => expect(engine.callsOf('datasets.import').at(-1)).toEqual({ format: 'folder', project: '/home/ana/study', dataset: 'photos', folder: '/data/photos', layout: 'auto', preview: false, create: false }));
    });

    it('a cancelled dataset dialog leaves the Folder field as it was', async () => {
      const asked = installPick([{ ok: true, paths: [] }]);
      const { field } = datasetScreen();
      await fireEvent.input(field, { target: { value: '/data/typed' } });
      await fireEvent.click(browse());
      await waitFor(() => expect(asked).toHaveLength(1));
      await waitFor(() => expect(browse().disabled).toBe(false));
      expect(field.value).toBe('/data/typed');
      expect(screen.queryByRole('alert')).toBeNull();
    });

    it('a failed dataset dialog shows its message in the screen’s banner', async () => {
      installPick([{ ok: false, error: { code: 'invalid-request', message: 'Invalid dialog request: kind: invalid option.' } }]);
      const { field } = datasetScreen();
      await fireEvent.click(browse());
      expect((await screen.findByRole('alert')).textContent).toContain('Invalid dialog request');
      expect(field.value).toBe('');
    });

    it('in a read-only project Browse is off with the reason, like the import it feeds', () => {
      installPick([]);
      datasetScreen(true);
      const button = browse();
      expect(button.disabled).toBe(true);
      expect(button.title).toMatch(/^Read-only/);
    });
  });
});
