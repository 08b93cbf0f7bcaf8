import type { ResponseMessage } from './envelope';
import type { Transport } from './api';
import type { Method } from './requests';

/** Anything that carries envelopes both ways: a WebSocket, a child process, a utility process. */
export interface MessagePortLike {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): () => void;
  onClose(listener: (reason: string) => void): () => void;
}

/**
 * A Transport over a message port: matches responses to requests by id and fans events out. When
 * the port closes, every pending request is answered with `engine-unavailable` instead of hanging.
 */
export class PortTransport implements Transport {
  private readonly pending = new Map<string, (response: unknown) => void>();
  private readonly listeners = new Set<(event: unknown) => void>();
  private closedReason: string | null = null;

  constructor(private readonly port: MessagePortLike) {
    port.onMessage((message) => this.receive(message));
    port.onClose((reason) => this.close(reason));
  }

  request(id: string, method: Method, params: unknown): Promise<unknown> {
    if (this.closedReason !== null) return Promise.resolve(unavailable(id, this.closedReason));
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.port.postMessage({ type: 'request', id, method, params });
    });
  }

  cancel(id: string): void {
    if (this.closedReason === null && this.pending.has(id)) this.port.postMessage({ type: 'cancel', id });
  }

  subscribe(listener: (event: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private receive(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const { type, id } = message as { type?: unknown; id?: unknown };
    if (type === 'response' && typeof id === 'string') {
      const resolve = this.pending.get(id);
      this.pending.delete(id);
      resolve?.(message);
    } else if (type === 'event') {
      for (const listener of this.listeners) listener(message);
    }
  }

  private close(reason: string): void {
    this.closedReason = reason;
    for (const [id, resolve] of this.pending) resolve(unavailable(id, reason));
    this.pending.clear();
  }
}

function unavailable(id: string, reason: string): ResponseMessage {
  return {
    type: 'response',
    id,
    ok: false,
    error: {
      code: 'engine-unavailable',
      message: `The engine is not reachable: ${reason}.`,
      hint: 'Restart Lumen; finished results are kept.',
    },
  };
}
