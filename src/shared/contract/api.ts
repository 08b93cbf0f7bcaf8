import { z } from 'zod';
import { describeZodError, LumenError } from '../errors';
import { ResponseMessage } from './envelope';
import { events, isEventName, type EventName, type EventPayload } from './events';
import { requests, type Method, type ParamsIn, type Result } from './requests';

/**
 * How a client reaches the engine. Electron's preload, the bridge's WebSocket and the engine's
 * child process each provide one; the typed API below is the same over all of them.
 */
export interface Transport {
  /** Sends a validated request; resolves with the raw response envelope. */
  request(id: string, method: Method, params: unknown): Promise<unknown>;
  cancel(id: string): void;
  /** Receives raw event envelopes ({event, payload}); returns an unsubscribe function. */
  subscribe(listener: (event: unknown) => void): () => void;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Progress events of this request (long requests: attributions, evaluations, audits). */
  onProgress?: (progress: EventPayload<'progress'>) => void;
  /** Filled with when the request was sent and its response received (performance.now()), for timing breakdowns. */
  timeline?: CallTimeline;
}

export interface CallTimeline {
  sent?: number;
  received?: number;
}

export interface LumenApi {
  call<M extends Method>(method: M, params: ParamsIn<M>, options?: CallOptions): Promise<Result<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

const IncomingEvent = z.object({ event: z.string(), payload: z.unknown() });

let counter = 0;
function nextId(): string {
  counter += 1;
  return `${Date.now().toString(36)}-${counter}`;
}

/**
 * The client side of the contract. Parameters are validated before they leave (so a bad call fails
 * here, with the field named) and results are validated when they arrive.
 */
export function createApi(transport: Transport): LumenApi {
  return {
    async call(method, params, options = {}) {
      const schema = requests[method];
      const checkedParams = schema.params.safeParse(params);
      if (!checkedParams.success) {
        throw new LumenError('invalid-request', `Invalid parameters for "${method}": ${describeZodError(checkedParams.error)}.`);
      }
      const id = nextId();
      if (options.signal?.aborted) throw new LumenError('cancelled', 'The operation was cancelled.');
      const onAbort = (): void => transport.cancel(id);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const onProgress = options.onProgress;
      const stopProgress = onProgress
        ? transport.subscribe((event) => {
            const envelope = IncomingEvent.safeParse(event);
            if (!envelope.success || envelope.data.event !== 'progress') return;
            const payload = events.progress.safeParse(envelope.data.payload);
            if (payload.success && payload.data.requestId === id) onProgress(payload.data);
          })
        : undefined;
      let raw: unknown;
      try {
        if (options.timeline) options.timeline.sent = performance.now();
        raw = await transport.request(id, method, checkedParams.data);
        if (options.timeline) options.timeline.received = performance.now();
      } finally {
        options.signal?.removeEventListener('abort', onAbort);
        stopProgress?.();
      }
      const response = ResponseMessage.safeParse(raw);
      if (!response.success) {
        throw new LumenError('internal', `Malformed response to "${method}": ${describeZodError(response.error)}.`);
      }
      if (!response.data.ok) throw LumenError.fromPayload(response.data.error);
      const result = schema.result.safeParse(response.data.result);
      if (!result.success) {
        throw new LumenError('internal', `Invalid "${method}" result: ${describeZodError(result.error)}.`);
      }
      return result.data as Result<typeof method>;
    },

    on(event, listener) {
      return transport.subscribe((raw) => {
        const envelope = IncomingEvent.safeParse(raw);
        if (!envelope.success || envelope.data.event !== event || !isEventName(event)) return;
        const payload = events[event].safeParse(envelope.data.payload);
        if (payload.success) listener(payload.data as EventPayload<typeof event>);
      });
    },
  };
}
