import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type LumenApi } from '../../../src/shared/contract/api';
import { PortTransport } from '../../../src/shared/contract/port-transport';
import { requests } from '../../../src/shared/contract/requests';
import { ResponseMessage } from '../../../src/shared/contract/envelope';
import { countPdfPages } from '../../../src/main/engine/report/render-pdf';
import { importFolder } from '../../../src/main/engine/project/dataset-import';
import { ProjectStore } from '../../../src/main/engine/project/project-store';
import { callEngine } from '../../../src/main/electron/engine-call';
import { checkIpcRequest, type CheckedRequest } from '../../../src/main/electron/ipc-request';
import { PathGrants } from '../../../src/main/electron/path-grants';
import { answerPdfRequest } from '../../../src/main/electron/pdf-requests';
import type { ReportPrinter } from '../../../src/main/electron/pdf-report';
import { localEnginePort } from '../../../src/main/engine-host/local-engine';
import { blockCard, blockModel } from '../../helpers/known-block';
import { tempDir, writeModel } from '../../helpers/tiny-models';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');

/**
 * The main process's PDF reports without Electron: the real engine builds the HTML through the
 * contract, and Electron's printToPDF (which cannot run here) is replaced by a printer that
 * writes a one-page PDF per report, recording what it was given.
 */
describe('PDF reports in the main process: typed by the contract, printed by the door', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let spec: Record<string, unknown>;
  let project: string;
  const printed: string[] = [];
  const print = async (html: string): Promise<Uint8Array> => {
    printed.push(html);
    return new Uint8Array(Buffer.from(`%PDF-1.7\n1 0 obj << /Type /Page >> endobj\n% ${html.length} characters of HTML\n%%EOF\n`, 'latin1'));
  };
  const grants = new PathGrants();
  const printer = (id: string, overrides: Partial<ReportPrinter> = {}) => ({
    renderHtml: (s: CheckedSpec) => callEngine(transport(), id, 'report.render', { spec: s, format: 'html' }),
    print,
    confine: (out: string) => grants.roots.writable(out, 'The report file'),
    ...overrides,
  });
  type CheckedSpec = Parameters<ReportPrinter['renderHtml']>[0];
  // The engine's transport as ipc.ts reaches it: raw envelopes under an id the door chose.
  let transport: () => { request(id: string, method: never, params: unknown): Promise<unknown> };
  const checked = (method: string, params: unknown): CheckedRequest => {
    const c = checkIpcRequest('7', method, params);
    if (!c.ok) throw new Error(c.response.error.message);
    return c;
  };

  beforeAll(async () => {
    // One in-process engine: ipc.ts reaches it through its raw transport, the test through the typed API.
    const engine = localEnginePort({ graphCacheDir: null });
    const raw = new PortTransport(engine.port);
    transport = () => raw as never;
    api = createApi(raw);
    close = engine.close;
    const modelId = (await callEngine(raw, 'm', 'models.open', requests['models.open'].params.parse({ path: writeModel(tempDir(), 'block.onnx', blockModel(), { 'block.card.json': blockCard({ mode: 'stretch' }) }) }))).id;
    const data = tempDir();
    mkdirSync(join(data, 'a'));
    writeFileSync(join(data, 'a', 'black.png'), await sharp({ create: { width: 32, height: 32, channels: 3, background: '#000000' } }).png().toBuffer());
    project = join(tempDir(), 'p');
    const store = ProjectStore.open(project, { create: true });
    try {
      await importFolder(store, 'd', data);
    } finally {
      store.close();
    }
    spec = { project, modelId, title: 'Block', images: [{ dataset: 'd', path: 'a/black.png', target: 0 }], methods: [{ method: 'gradient', params: {} }] };
  });
  afterAll(() => close());

  it('report.render in PDF: the engine’s HTML printed, answered as the contract’s RenderedReport', async () => {
    const request = checked('report.render', { spec, format: 'pdf' });
    const response = await answerPdfRequest(request, printer('3:7'))!;
    expect(ResponseMessage.parse(response)).toMatchObject({ type: 'response', id: '7', ok: true });
    const result = requests['report.render'].result.parse((response as { result: unknown }).result);
    expect(result.format).toBe('pdf');
    expect(result.html).toBeUndefined();
    expect(countPdfPages(result.pdf!)).toBe(1);
    expect(result.pages).toBe(1);
    // What was printed is the engine's own HTML for the same spec (same content hash).
    const html = await api.call('report.render', { spec: spec as never, format: 'html' });
    expect(result.contentHash).toBe(html.contentHash);
    expect(printed.at(-1)).toMatch(/^<!doctype html>/i);
    expect(printed.at(-1)).toContain('Block');
  });

  it('report.export in PDF writes the printed file where the user chose, and answers as the contract’s ExportedReport', async () => {
    const folder = tempDir();
    grants.record({ type: 'allow-path', path: folder, access: 'write' });
    const out = join(folder, 'block.pdf');
    const response = await answerPdfRequest(checked('report.export', { spec, format: 'pdf', out }), printer('3:8'))!;
    expect(response.ok, JSON.stringify(response)).toBe(true);
    const result = requests['report.export'].result.parse((response as { result: unknown }).result);
    expect(result.path).toBe(out);
    expect(result.pages).toBe(1);
    const written = readFileSync(out);
    expect(result.bytes).toBe(written.length);
    expect(written.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('refuses a place the user did not choose, or an existing file, before the report is built', async () => {
    const before = printed.length;
    const elsewhere = join(tempDir(), 'r.pdf');
    const refused = await answerPdfRequest(checked('report.export', { spec, format: 'pdf', out: elsewhere }), printer('3:9'))!;
    expect(refused).toMatchObject({ ok: false, id: '7' });
    expect(existsSync(elsewhere)).toBe(false);
    const folder = tempDir();
    grants.record({ type: 'allow-path', path: folder, access: 'write' });
    writeFileSync(join(folder, 'old.pdf'), 'an older report');
    const existing = await answerPdfRequest(checked('report.export', { spec, format: 'pdf', out: join(folder, 'old.pdf') }), printer('3:10'))!;
    expect(existing).toMatchObject({ ok: false, error: { message: expect.stringMatching(/already exists/) } });
    expect(readFileSync(join(folder, 'old.pdf'), 'utf8')).toBe('an older report');
    expect(printed.length).toBe(before);
  });

  it('a printer that fails is a one-line error saying what to do; an engine error comes back as the engine said it', async () => {
    const failing = printer('3:11', { print: async () => Promise.reject(new Error('the GPU process crashed')) });
    const failed = await answerPdfRequest(checked('report.render', { spec, format: 'pdf' }), failing)!;
    expect(failed).toMatchObject({ ok: false, error: { code: 'internal', message: 'The PDF could not be printed: the GPU process crashed.', hint: 'Export HTML instead, and print it from a browser.' } });
    const noModel = await answerPdfRequest(checked('report.render', { spec: { ...spec, modelId: 'no-such-model' }, format: 'pdf' }), printer('3:12'))!;
    expect(noModel).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('every other request is left to the engine', () => {
    expect(answerPdfRequest(checked('report.render', { spec, format: 'html' }), printer('3:13'))).toBeUndefined();
    expect(answerPdfRequest(checked('report.export', { spec, format: 'html', out: '/tmp/x.html' }), printer('3:14'))).toBeUndefined();
    expect(answerPdfRequest(checked('jobs.list', { project: '/p' }), printer('3:15'))).toBeUndefined();
  });
});
