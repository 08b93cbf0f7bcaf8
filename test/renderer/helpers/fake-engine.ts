import { createApi, type LumenApi, type Transport } from '../../../src/shared/contract/api';
import type { EventName, EventPayload } from '../../../src/shared/contract/events';
import type { Method, Params, Result } from '../../../src/shared/contract/requests';
import { LumenError, toErrorPayload } from '../../../src/shared/errors';

export interface FakeContext {
  id: string;
  signal: AbortSignal;
  progress(done: number, total: number, extra?: { ratePerSecond?: number; etaSeconds?: number }): void;
}

export type FakeHandlers = { [M in Method]?: (params: Params<M>, context: FakeContext) => Result<M> | Promise<Result<M>> };

/**
 * The real client (`createApi`: params and results validated against the contract) over a fake
 * transport whose engine is a few handlers. Every call is recorded; progress events reach the
 * caller like the engine's; cancelling a request aborts its handler's signal.
 */
export function fakeEngine(handlers: FakeHandlers): {
  api: LumenApi;
  calls: Array<{ method: Method; params: unknown }>;
  callsOf: (method: Method) => unknown[];
  /** Sends an event to every subscriber, as the engine does unprompted (e.g. project.changed). */
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
} {
  const listeners = new Set<(event: unknown) => void>();
  const controllers = new Map<string, AbortController>();
  const calls: Array<{ method: Method; params: unknown }> = [];
  const transport: Transport = {
    async request(id, method, params) {
      calls.push({ method, params });
      const handler = handlers[method] as ((p: unknown, c: FakeContext) => unknown) | undefined;
      const controller = new AbortController();
      controllers.set(id, controller);
      try {
        if (!handler) throw new LumenError('internal', `The fake engine has no "${method}".`);
        const context: FakeContext = {
          id,
          signal: controller.signal,
          progress: (done, total, extra = {}) => {
            for (const l of listeners) l({ event: 'progress', payload: { requestId: id, done, total, ...extra } });
          },
        };
        const result = await handler(params, context);
        return { type: 'response', id, ok: true, result };
      } catch (e) {
        return { type: 'response', id, ok: false, error: toErrorPayload(e) };
      } finally {
        controllers.delete(id);
      }
    },
    cancel(id) {
      controllers.get(id)?.abort();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    api: createApi(transport),
    calls,
    callsOf: (method) => calls.filter((c) => c.method === method).map((c) => c.params),
    emit: (event, payload) => {
      for (const l of listeners) l({ event, payload });
    },
  };
}

/** A promise with its resolve and reject in hand. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Rejects when the signal aborts, as the engine answers a cancelled request. */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new LumenError('cancelled', 'The operation was cancelled.')), { once: true }));
}
