import { describeZodError, toErrorPayload, type ErrorPayload } from '../errors';
import { ClientMessage, type EngineMessage, type ResponseMessage } from './envelope';
import { isMethod, requests, type Method, type Params, type Result } from './requests';

/** What a handler gets besides its parameters. */
export interface RequestContext {
  /** The request's id, for progress events. */
  requestId: string;
  /** Aborted when the client cancels or goes away. */
  signal: AbortSignal;
  /** performance.now() when the message reached the dispatcher: a handler's wait before it started is its queue time. */
  receivedAt?: number;
}

export type Handlers = {
  [M in Method]: (params: Params<M>, context: RequestContext) => Promise<Result<M>>;
};

/**
 * The engine side of the contract: validates each incoming envelope and its parameters, runs the
 * handler, validates the result, and always answers with a response, never a throw. A malformed
 * message gets an `invalid-request` error naming what was wrong.
 */
export class Dispatcher {
  private readonly inFlight = new Map<string, AbortController>();

  constructor(private readonly handlers: Handlers) {}

  /** Handles one raw message; resolves with the response to send, or null for a cancel. */
  async handle(raw: unknown): Promise<ResponseMessage | null> {
    const receivedAt = performance.now();
    const parsed = ClientMessage.safeParse(raw);
    if (!parsed.success) {
      return failure(idOf(raw), {
        code: 'invalid-request',
        message: `Malformed message: ${describeZodError(parsed.error)}.`,
        hint: 'Send {type:"request", id, method, params} or {type:"cancel", id}.',
      });
    }
    const message = parsed.data;
    if (message.type === 'cancel') {
      this.inFlight.get(message.id)?.abort();
      return null;
    }
    if (!isMethod(message.method)) {
      return failure(message.id, {
        code: 'invalid-request',
        message: `Unknown method "${message.method}".`,
        hint: `Known methods: ${Object.keys(requests).join(', ')}.`,
      });
    }
    return this.run(message.method, message.id, message.params, receivedAt);
  }

  /** Aborts every request in flight, e.g. when the client disconnects. */
  cancelAll(): void {
    for (const controller of this.inFlight.values()) controller.abort();
  }

  private async run<M extends Method>(method: M, id: string, rawParams: unknown, receivedAt: number): Promise<ResponseMessage> {
    const schema = requests[method];
    const params = schema.params.safeParse(rawParams ?? {});
    if (!params.success) {
      return failure(id, {
        code: 'invalid-request',
        message: `Invalid parameters for "${method}": ${describeZodError(params.error)}.`,
      });
    }
    const controller = new AbortController();
    this.inFlight.set(id, controller);
    try {
      const handler = this.handlers[method] as (p: unknown, c: RequestContext) => Promise<unknown>;
      const result = await handler(params.data, { requestId: id, signal: controller.signal, receivedAt });
      const checked = schema.result.safeParse(result);
      if (!checked.success) {
        return failure(id, {
          code: 'internal',
          message: `The engine produced an invalid "${method}" result: ${describeZodError(checked.error)}.`,
          hint: 'This is a bug in Lumen; please report it.',
        });
      }
      return { type: 'response', id, ok: true, result: checked.data };
    } catch (error) {
      return failure(id, toErrorPayload(error));
    } finally {
      this.inFlight.delete(id);
    }
  }
}

function failure(id: string, error: ErrorPayload): ResponseMessage {
  return { type: 'response', id, ok: false, error };
}

function idOf(raw: unknown): string {
  if (typeof raw === 'object' && raw !== null && 'id' in raw) {
    const id = (raw as { id: unknown }).id;
    if (typeof id === 'string' && id.length > 0 && id.length <= 100) return id;
  }
  return 'invalid';
}

export type { EngineMessage };
