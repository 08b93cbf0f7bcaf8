import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { ClientMessage } from '../../shared/contract/envelope';
import { routeEvent } from '../../shared/contract/event-routing';
import type { MessagePortLike } from '../../shared/contract/port-transport';
import { decodeFrame, encodeFrame, FrameError } from '../../shared/contract/wire';
import { describeZodError } from '../../shared/errors';
import { newAccessToken, presentedToken, tokenCookie, tokensEqual } from './access-token';
import { contentSecurityPolicy } from './content-security-policy';
import { readStatic } from './static-files';

export interface BridgeOptions {
  /** The engine, behind an envelope port (forked child or in-process). */
  engine: MessagePortLike;
  /** The built renderer (index.html and assets). */
  staticDir: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
}

export interface Bridge {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const maxFrameBytes = 512 * 1024 * 1024;

/**
 * The loopback door: serves the renderer and carries the contract over one WebSocket per page.
 * It listens on 127.0.0.1 only, requires the random access token on every request, rejects other
 * Host headers (DNS rebinding) and WebSockets that do not come from its own page (Origin). Requests from several pages share one
 * engine; their ids are prefixed per connection and responses routed back.
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = options.token ?? newAccessToken();
  const sockets = new Map<number, { ws: WebSocket; inFlight: Set<string> }>();
  let nextConnection = 1;
  let port = 0;

  options.engine.onMessage((message) => {
    if (typeof message !== 'object' || message === null) return;
    const m = message as { type?: unknown; id?: unknown };
    if (m.type === 'event') {
      // Progress belongs to one request: route it to that page, with the page's own request id.
      const routed = routeEvent(message);
      if (routed.owner !== null) {
        // A page that has gone has no one to tell.
        sockets.get(Number(routed.owner))?.ws.send(encodeFrame(routed.message));
        return;
      }
      const frame = encodeFrame(message);
      for (const { ws } of sockets.values()) ws.send(frame);
    } else if (m.type === 'response' && typeof m.id === 'string') {
      const split = m.id.indexOf(':');
      const connection = sockets.get(Number(m.id.slice(0, split)));
      const id = m.id.slice(split + 1);
      connection?.inFlight.delete(id);
      connection?.ws.send(encodeFrame({ ...(message as object), id }));
    }
  });

  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const server: Server = createServer((request, response) => {
    void handleHttp(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end('Internal error');
    });
  });

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (!allowedHosts().includes(request.headers.host ?? '')) {
      response.writeHead(421, { 'content-type': 'text/plain' }).end('Lumen only answers on its loopback address.');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (!tokensEqual(presentedToken(request, url), token)) {
      response
        .writeHead(401, { 'content-type': 'text/plain; charset=utf-8' })
        .end('Lumen needs its access token: open the full address that `lumen serve` (or `npm start`) printed.');
      return;
    }
    const path = url.pathname === '/' ? '/index.html' : url.pathname;
    const file = await readStatic(options.staticDir, path);
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    const headers: Record<string, string> = {
      'content-type': file.type,
      'content-security-policy': contentSecurityPolicy,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    };
    if (path === '/index.html') headers['set-cookie'] = `${tokenCookie}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    response.writeHead(200, headers).end(request.method === 'HEAD' ? undefined : file.body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    // The page's own origin, always: a browser sends it on every WebSocket, so a request without
    // one comes from a program that has the token in hand, not from the page the user opened.
    const origin = request.headers.origin;
    const originOk = origin !== undefined && allowedHosts().some((h) => origin === `http://${h}`);
    if (
      url.pathname !== '/api' ||
      !allowedHosts().includes(request.headers.host ?? '') ||
      !originOk ||
      !tokensEqual(presentedToken(request, url), token)
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => attach(ws));
  });

  function attach(ws: WebSocket): void {
    const connection = nextConnection++;
    const inFlight = new Set<string>();
    sockets.set(connection, { ws, inFlight });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      let message: unknown;
      try {
        message = decodeFrame(isBinary ? toBytes(data) : data.toString());
      } catch (error) {
        ws.send(encodeFrame(invalid('invalid', error instanceof FrameError ? error.message : 'unreadable frame')));
        return;
      }
      const parsed = ClientMessage.safeParse(message);
      if (!parsed.success) {
        const id = typeof (message as { id?: unknown })?.id === 'string' ? (message as { id: string }).id : 'invalid';
        ws.send(encodeFrame(invalid(id, `Malformed message: ${describeZodError(parsed.error)}`)));
        return;
      }
      const envelope = parsed.data;
      if (envelope.type === 'request') inFlight.add(envelope.id);
      options.engine.postMessage({ ...envelope, id: `${connection}:${envelope.id}` });
    });
    ws.on('close', () => {
      sockets.delete(connection);
      // A closed page cancels what it asked for; nobody would read the answers.
      for (const id of inFlight) options.engine.postMessage({ type: 'cancel', id: `${connection}:${id}` });
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const { ws } of sockets.values()) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function invalid(id: string, message: string): unknown {
  return {
    type: 'response',
    id,
    ok: false,
    error: { code: 'invalid-request', message, hint: 'Send {type:"request", id, method, params} as JSON or an LMN1 binary frame.' },
  };
}
