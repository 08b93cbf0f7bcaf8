import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startBridge, type Bridge } from '../../../src/main/bridge/bridge-server';
import { localEnginePort } from '../../../src/main/engine-host/local-engine';
import { createApi } from '../../../src/shared/contract/api';
import { PortTransport, type MessagePortLike } from '../../../src/shared/contract/port-transport';
import { decodeFrame, encodeFrame } from '../../../src/shared/contract/wire';
import { tempDir } from '../../helpers/tiny-models';

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function socketPort(ws: WebSocket): MessagePortLike {
  return {
    postMessage: (m) => ws.send(encodeFrame(m)),
    onMessage: (l) => {
      const h = (data: Buffer, binary: boolean): void => l(decodeFrame(binary ? new Uint8Array(data) : data.toString()));
      ws.on('message', h);
      return () => ws.off('message', h);
    },
    onClose: (l) => {
      ws.on('close', () => l('closed'));
      return () => undefined;
    },
  };
}

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

describe('the loopback bridge', () => {
  let bridge: Bridge;
  let closeEngine: () => Promise<void>;

  beforeAll(async () => {
    const staticDir = tempDir();
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Lumen</title>');
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    const local = localEnginePort();
    closeEngine = local.close;
    bridge = await startBridge({ engine: local.port, staticDir });
  });
  afterAll(async () => {
    await bridge.close();
    await closeEngine();
  });

  it('listens on loopback with a random token in its URL', () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
  });

  it('refuses pages without the token', async () => {
    const res = await get(bridge.port, '/');
    expect(res.status).toBe(401);
    expect(res.body).toMatch(/access token/);
    expect((await get(bridge.port, '/?token=wrong')).status).toBe(401);
  });

  it('serves the app with the token, sets a strict session cookie and a CSP', async () => {
    const res = await get(bridge.port, `/?token=${bridge.token}`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Lumen</title>');
    expect(String(res.headers['set-cookie'])).toMatch(/lumen_token=.*HttpOnly; SameSite=Strict/);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    const asset = await get(bridge.port, '/assets/app.js', { cookie: `lumen_token=${bridge.token}` });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
  });

  it('rejects other Host headers (DNS rebinding) and paths outside the app', async () => {
    expect((await get(bridge.port, `/?token=${bridge.token}`, { host: 'evil.example:80' })).status).toBe(421);
    expect((await get(bridge.port, `/..%2f..%2fetc%2fpasswd?token=${bridge.token}`)).status).toBe(404);
  });

  it('refuses WebSockets without the token or from another origin', async () => {
    const base = `ws://127.0.0.1:${bridge.port}/api`;
    await expect(open(base)).rejects.toThrow(/403/);
    await expect(open(`${base}?token=${bridge.token}`, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
  });

  it('refuses a WebSocket with the token but without the page Origin', async () => {
    const base = `ws://127.0.0.1:${bridge.port}/api?token=${bridge.token}`;
    await expect(open(base)).rejects.toThrow(/403/);
    await expect(open(base, { origin: 'null' })).rejects.toThrow(/403/);
    const ws = await open(base, { origin: `http://localhost:${bridge.port}` });
    ws.close();
  });

  it('carries the contract: classify a sample, with the preview as binary', async () => {
    const ws = await open(`ws://127.0.0.1:${bridge.port}/api?token=${bridge.token}`, { origin: `http://127.0.0.1:${bridge.port}` });
    const api = createApi(new PortTransport(socketPort(ws)));
    const model = await api.call('models.open', {});
    const image = await api.call('images.open', { source: 'sample', sampleId: 'rocket' });
    expect(image.preview.data).toBeInstanceOf(Uint8Array);
    expect([...image.preview.data.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    const result = await api.call('classify', { modelId: model.id, imageId: image.id, topK: 3 });
    expect(result.predictions[0]!.label).toBe('missile');
    ws.close();
  });

  it('answers malformed frames with a typed error and keeps the connection', async () => {
    const ws = await open(`ws://127.0.0.1:${bridge.port}/api?token=${bridge.token}`, { origin: `http://127.0.0.1:${bridge.port}` });
    const replies: unknown[] = [];
    ws.on('message', (d: Buffer, binary: boolean) => replies.push(decodeFrame(binary ? new Uint8Array(d) : d.toString())));
    ws.send('this is not json');
    ws.send(JSON.stringify({ type: 'request', id: 'x1', method: 'classify' , params: { topK: 'five' } }));
    ws.send(JSON.stringify({ type: 'request', id: 'x2', method: 'samples.list', params: {} }));
    await new Promise((r) => setTimeout(r, 300));
    expect(replies[0]).toMatchObject({ ok: false, id: 'invalid', error: { code: 'invalid-request' } });
    expect(replies.find((r) => (r as { id: string }).id === 'x1')).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(replies.find((r) => (r as { id: string }).id === 'x2')).toMatchObject({ ok: true });
    ws.close();
  });
});
