import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../helpers/tiny-models';

/**
 * Electron cannot start here, so the `electron` module is a stand-in, but the engine behind it is
 * the real one: the stand-in's utility process is a forked engine worker, started with the
 * environment EngineProcess gives it. Dialogs answer what the test queues; printing returns a
 * minimal PDF. What runs for real: EngineProcess, the IPC wiring, the dialog handler, the engine.
 */
const fake = vi.hoisted(() => {
  const ipcHandlers = new Map<string, (...args: unknown[]) => unknown>();
  const answers: Array<{ canceled: boolean; filePaths?: string[]; filePath?: string }> = [];
  const shown: Array<{ dialog: 'open' | 'save'; options: { properties?: string[] } }> = [];
  const children: Array<{ kill(): void; exited: Promise<void> }> = [];
  const forks: Array<Record<string, string | undefined>> = [];
  return { ipcHandlers, answers, shown, children, forks, home: '' };
});

vi.mock('electron', async () => {
  const { forkEngine } = await import('../../../src/main/engine-host/forked-engine');
  const { readFileSync: read } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const session = { webRequest: { onBeforeRequest: () => undefined }, setPermissionRequestHandler: () => undefined, setPermissionCheckHandler: () => undefined };
  class FakeWindow {
    private html = '';
    readonly webContents = { printToPDF: async () => Buffer.from(`%PDF-1.7 1 0 obj << /Type /Page >> ${this.html.length}`, 'latin1') };
    async loadURL(url: string): Promise<void> {
      this.html = read(fileURLToPath(url), 'utf8');
    }
    destroy(): void {}
    static fromWebContents(): null {
      return null;
    }
    static getAllWindows(): FakeWindow[] {
      return [];
    }
  }
  const answer = (dialog: 'open' | 'save', options: { properties?: string[] }) => {
    fake.shown.push({ dialog, options });
    return Promise.resolve(fake.answers.shift() ?? { canceled: true, filePaths: [] });
  };
  return {
    app: { isPackaged: false },
    session: { fromPartition: () => session },
    BrowserWindow: FakeWindow,
    ipcMain: { handle: (channel: string, handler: (...args: unknown[]) => unknown) => fake.ipcHandlers.set(channel, handler), on: (channel: string, handler: (...args: unknown[]) => unknown) => fake.ipcHandlers.set(`on:${channel}`, handler) },
    // Called with (window, options) or (options): the options are the last argument.
    dialog: { showOpenDialog: (...args: Array<{ properties?: string[] }>) => answer('open', args.at(-1)!), showSaveDialog: (...args: Array<{ properties?: string[] }>) => answer('save', args.at(-1)!) },
    utilityProcess: {
      fork: (_script: string, _args: string[], options: { env: Record<string, string | undefined> }) => {
        fake.forks.push(options.env);
        const { child, port } = forkEngine({ ...options.env, LUMEN_HOME: fake.home });
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        const utility = {
          postMessage: (message: unknown) => port.postMessage(message),
          on: (event: string, listener: (...args: unknown[]) => void) => child.on(event, listener),
          off: (event: string, listener: (...args: unknown[]) => void) => child.off(event, listener),
          kill: () => child.kill('SIGKILL'),
          exited,
        };
        fake.children.push(utility);
        return utility;
      },
    },
  };
});

const { EngineProcess } = await import('../../../src/main/electron/engine-process');
const { registerIpc } = await import('../../../src/main/electron/ipc');
const { registerPickDialogs } = await import('../../../src/main/electron/native-dialogs');
const { rendererUrl } = await import('../../../src/main/electron/renderer-location');
const { ipcChannels } = await import('../../../src/shared/contract/preload-api');

type Answer = { ok: boolean; result?: Record<string, unknown>; error?: { code: string; message: string; details?: Record<string, unknown> } };

describe('the app’s native dialogs and its confined engine', () => {
  const home = tempDir('lumen-dialogs-');
  fake.home = join(home, 'lumen-home');
  const engine = new EngineProcess();
  registerIpc(engine);
  registerPickDialogs(engine);
  const frame = { senderFrame: { url: rendererUrl() }, sender: { id: 1 } };
  let next = 0;
  const request = (method: string, params: unknown) => fake.ipcHandlers.get(ipcChannels.request)!(frame, String(++next), method, params) as Promise<Answer>;
  const pick = (kind: unknown, from = frame) => fake.ipcHandlers.get(ipcChannels.pick)!(from, { kind }) as Promise<{ ok: boolean; paths?: string[]; error?: { code: string } }>;
  const images = join(home, 'images');
  const image = join(images, 'rocket', 'rocket.jpg');
  const study = join(home, 'study');
  beforeAll(() => {
    mkdirSync(join(images, 'rocket'), { recursive: true });
    copyFileSync(new URL('../../../resources/samples/rocket.jpg', import.meta.url), image);
  });
  afterAll(async () => {
    engine.stop();
    await Promise.all(fake.children.map((c) => c.exited));
  });

  it('the engine is started confined, and an image is refused until it is picked in the dialog', async () => {
    const before = await request('images.open', { source: 'file', path: image });
    expect(before).toMatchObject({ ok: false, error: { details: { refused: 'outside-allowed-folders' } } });
    expect(fake.forks[0]!['LUMEN_CONFINE_PATHS']).toBe('1');
    fake.answers.push({ canceled: false, filePaths: [image] });
    expect(await pick('image')).toEqual({ ok: true, paths: [image] });
    expect(fake.shown.at(-1)).toMatchObject({ dialog: 'open', options: { properties: ['openFile'] } });
    // The grant went to the engine before the answer came back: the very next request is accepted.
    expect(await request('images.open', { source: 'file', path: image })).toMatchObject({ ok: true, result: { width: expect.any(Number) } });
  });

  it('a cancelled dialog, an unknown kind of pick and a foreign frame grant nothing', async () => {
    const card = join(images, 'model.card.json');
    expect(await pick('model-card')).toEqual({ ok: true, paths: [] });
    const shownBefore = fake.shown.length;
    expect(await pick('anything')).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    fake.answers.push({ canceled: false, filePaths: [card] });
    expect(await pick('model-card', { senderFrame: { url: 'https://example.com/' }, sender: { id: 9 } })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(fake.shown).toHaveLength(shownBefore);
    fake.answers.splice(0);
    expect(await request('models.open', { cardPath: card })).toMatchObject({ ok: false, error: { details: { refused: 'outside-allowed-folders' } } });
  });

  it('the PDF export, written by the main process, holds the rule: refused until the file is picked in the save dialog', async () => {
    expect(await request('projects.open', { path: study, create: true })).toMatchObject({ ok: true });
    expect(await request('datasets.import', { project: study, dataset: 'photos', folder: images })).toMatchObject({ ok: true });
    const model = await request('models.open', {});
    const spec = { project: study, modelId: model.result!['id'], title: 'Rocket', images: [{ dataset: 'photos', path: 'rocket/rocket.jpg' }], methods: [{ method: 'grad-cam', params: {} }] };
    const out = join(home, 'rocket.pdf');
    const refused = await request('report.export', { spec, format: 'pdf', out });
    expect(refused).toMatchObject({ ok: false, error: { message: `The report file ${out} is outside the folders this page may write.` } });
    expect(existsSync(out)).toBe(false);
    fake.answers.push({ canceled: false, filePath: out });
    expect(await pick('report-pdf')).toEqual({ ok: true, paths: [out] });
    expect(fake.shown.at(-1)).toMatchObject({ dialog: 'save' });
    expect(await request('report.export', { spec, format: 'pdf', out })).toMatchObject({ ok: true, result: { path: out, pages: 1 } });
    expect(readFileSync(out, 'latin1')).toMatch(/^%PDF-/);
    // Inside the project the page opened, no dialog is needed (as for the engine's HTML export).
    expect(await request('report.export', { spec, format: 'pdf', out: join(study, 'in-project.pdf') })).toMatchObject({ ok: true });
  }, 120_000);

  it('a fresh engine after a crash is told every grant again before the page’s next request', async () => {
    const crashed = fake.children.at(-1)!;
    crashed.kill();
    await crashed.exited;
    const forksBefore = fake.forks.length;
    expect(await request('images.open', { source: 'file', path: image })).toMatchObject({ ok: true });
    expect(fake.forks.length).toBe(forksBefore + 1);
    // The project opened through the page survives too.
    expect(await request('datasets.images', { project: study, dataset: 'photos' })).toMatchObject({ ok: true });
  }, 60_000);
});
