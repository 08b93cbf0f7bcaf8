import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../helpers/tiny-models';

/**
 * Electron cannot start here, so the modules that use it run against a stand-in for the
 * `electron` module only: sessions that keep the handlers they are given, windows that load a
 * URL through their session's request filter (as Chromium does) and print what they loaded.
 */
const fake = vi.hoisted(() => {
  type Filter = (details: { url: string }, callback: (r: { cancel: boolean }) => void) => void;
  class FakeSession {
    requestFilter: Filter | undefined;
    permissionRequest: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
    permissionCheck: ((...args: unknown[]) => boolean) | undefined;
    headers: unknown;
    readonly webRequest = {
      onBeforeRequest: (filter: Filter) => (this.requestFilter = filter),
      onHeadersReceived: (handler: unknown) => (this.headers = handler),
    };
    constructor(readonly name: string) {}
    setPermissionRequestHandler(handler: FakeSession['permissionRequest']): void {
      this.permissionRequest = handler;
    }
    setPermissionCheckHandler(handler: FakeSession['permissionCheck']): void {
      this.permissionCheck = handler;
    }
    /** Whether a request would go through this session's filter. */
    allows(url: string): boolean {
      let cancel = false;
      this.requestFilter?.({ url }, (r) => (cancel = r.cancel));
      return !cancel;
    }
  }
  const defaultSession = new FakeSession('default');
  const partitions = new Map<string, FakeSession>();
  const windows: FakeWindow[] = [];
  class FakeWindow {
    loaded: { url: string; html: string } | undefined;
    destroyed = false;
    readonly webContents: { session: FakeSession; printToPDF: () => Promise<Buffer> };
    constructor(readonly options: { webPreferences: { session?: FakeSession; partition?: string; javascript?: boolean } }) {
      const session = options.webPreferences.session ?? (options.webPreferences.partition ? partitions.get(options.webPreferences.partition) : undefined) ?? defaultSession;
      this.webContents = {
        session,
        printToPDF: async () => Buffer.from(`%PDF-1.7 1 0 obj << /Type /Page >> ${this.loaded!.html.length}`, 'latin1'),
      };
      windows.push(this);
    }
    async loadURL(url: string): Promise<void> {
      if (!this.webContents.session.allows(url)) throw new Error(`ERR_BLOCKED_BY_CLIENT (-20) loading '${url}'`);
      this.loaded = { url, html: readFileSync(fileURLToPath(url), 'utf8') };
    }
    destroy(): void {
      this.destroyed = true;
    }
    static getAllWindows(): FakeWindow[] {
      return [];
    }
  }
  const appHandlers = new Map<string, (...args: unknown[]) => void>();
  const ipcHandlers = new Map<string, (...args: unknown[]) => unknown>();
  const opened: string[] = [];
  return { FakeSession, FakeWindow, defaultSession, partitions, windows, appHandlers, ipcHandlers, opened };
});

vi.mock('electron', () => ({
  app: { isPackaged: false, on: (name: string, handler: (...args: unknown[]) => void) => fake.appHandlers.set(name, handler) },
  session: {
    defaultSession: fake.defaultSession,
    fromPartition: (name: string) => {
      if (!fake.partitions.has(name)) fake.partitions.set(name, new fake.FakeSession(name));
      return fake.partitions.get(name)!;
    },
  },
  shell: { openExternal: async (url: string) => void fake.opened.push(url) },
  BrowserWindow: fake.FakeWindow,
  ipcMain: { handle: (channel: string, handler: (...args: unknown[]) => unknown) => fake.ipcHandlers.set(channel, handler), on: (channel: string, handler: (...args: unknown[]) => unknown) => fake.ipcHandlers.set(`on:${channel}`, handler) },
}));

const { printHtmlToPdf, printPartition, pdfPageCount } = await import('../../../src/main/electron/print-to-pdf');
const { hardenApp } = await import('../../../src/main/electron/security');
const { registerIpc } = await import('../../../src/main/electron/ipc');
const { rendererUrl } = await import('../../../src/main/electron/renderer-location');
const { ipcChannels } = await import('../../../src/shared/contract/preload-api');

describe('printing a report to PDF in Electron', () => {
  beforeEach(() => void fake.windows.splice(0));

  it('uses its own session partition, loads a private temporary file (not a data: URL), and removes it', async () => {
    const html = `<!doctype html><img src="data:image/png;base64,AAAA"><p>${'r'.repeat(4_000_000)}</p>`;
    const pdf = await printHtmlToPdf(html);
    expect(pdfPageCount(pdf)).toBe(1);
    const [window] = fake.windows;
    const printSession = fake.partitions.get(printPartition)!;
    expect(window!.webContents.session).toBe(printSession);
    expect(window!.webContents.session).not.toBe(fake.defaultSession);
    expect(window!.options.webPreferences.javascript).toBe(false);
    expect(window!.loaded!.url).toMatch(/^file:\/\/.*lumen-print-[^/]+\/report\.html$/);
    expect(window!.loaded!.html).toBe(html);
    expect(window!.destroyed).toBe(true);
    // The temporary folder is gone, and the session lets nothing through now: not the old file,
    // not the network; the app's own session has no filter of the print's at all.
    const file = fileURLToPath(window!.loaded!.url);
    expect(existsSync(dirname(file))).toBe(false);
    expect(printSession.allows(window!.loaded!.url)).toBe(false);
    expect(printSession.allows('https://example.com/track.png')).toBe(false);
    expect(printSession.allows('data:image/png;base64,AAAA')).toBe(true);
    expect(fake.defaultSession.requestFilter).toBeUndefined();
    expect(printSession.permissionCheck?.()).toBe(false);
    // A second report prints the same way (the filter lets its own file through).
    expect(pdfPageCount(await printHtmlToPdf('<p>two</p>'))).toBe(1);
    expect(fake.windows[1]!.loaded!.html).toBe('<p>two</p>');
  });
});

describe('the app’s security settings', () => {
  it('refuses every permission asked for or checked, and opens only documentation links outside', async () => {
    hardenApp();
    let granted: boolean | undefined;
    fake.defaultSession.permissionRequest!({}, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
    expect(fake.defaultSession.permissionCheck).toBeTypeOf('function');
    expect(fake.defaultSession.permissionCheck!({}, 'clipboard-read', 'file:///app/index.html', {})).toBe(false);
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    const contents = { on: () => undefined, setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h) };
    fake.appHandlers.get('web-contents-created')!({}, contents);
    expect(openHandler!({ url: 'https://onnxruntime.ai/docs/' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'https://evil.example/payload' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    await Promise.resolve();
    expect(fake.opened).toEqual(['https://onnxruntime.ai/docs/']);
  });
});

describe('IPC in the main process', () => {
  const requests: Array<{ id: string; method: string; params: unknown }> = [];
  const engine = {
    current: () => ({
      request: async (id: string, method: string, params: unknown) => {
        requests.push({ id, method, params });
        return { type: 'response', id, ok: true, result: {} };
      },
      cancel: () => undefined,
    }),
    onEvent: () => undefined,
  };
  registerIpc(engine as never);
  const invoke = (id: unknown, method: unknown, params: unknown) => fake.ipcHandlers.get(ipcChannels.request)!({ senderFrame: { url: rendererUrl() }, sender: { id: 3 } }, id, method, params) as Promise<{ ok: boolean; error?: { code: string; message: string } }>;
  beforeEach(() => void requests.splice(0));
  const spec = { project: '/p', modelId: 'm1', title: 'T', runs: [1] };

  it('a request that does not match the contract never reaches the engine', async () => {
    const bad = await invoke('1', 'report.export', { spec, format: 'pdf', out: { path: '/etc/passwd' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(bad.error!.message).toMatch(/^Invalid parameters for "report\.export": out: /);
    expect(await invoke('2', 'images.open', { source: 'file', path: 7 })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await invoke('3', 'no.such.method', {})).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(requests).toEqual([]);
  });

  it('the PDF export refuses a project database or an existing file before the report is built', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'project.db'), 'the database');
    const db = await invoke('4', 'report.export', { spec, format: 'pdf', out: join(dir, 'project.db') });
    expect(db).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    writeFileSync(join(dir, 'r.pdf'), 'an older report');
    expect(await invoke('5', 'report.export', { spec, format: 'pdf', out: join(dir, 'r.pdf') })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/already exists/) } });
    expect(requests).toEqual([]);
    expect(readFileSync(join(dir, 'project.db'), 'utf8')).toBe('the database');
  });

  it('a valid request goes to the engine as parsed, under the window’s own id', async () => {
    expect(await invoke('6', 'jobs.list', { project: '/p' })).toMatchObject({ ok: true, id: '6' });
    expect(requests).toEqual([{ id: '3:6', method: 'jobs.list', params: { project: '/p' } }]);
    // A frame that is not Lumen's own is refused whatever it sends.
    const foreign = (await fake.ipcHandlers.get(ipcChannels.request)!({ senderFrame: { url: 'https://example.com/' }, sender: { id: 4 } }, '7', 'jobs.list', { project: '/p' })) as { ok: boolean };
    expect(foreign.ok).toBe(false);
    expect(requests).toHaveLength(1);
  });
});
