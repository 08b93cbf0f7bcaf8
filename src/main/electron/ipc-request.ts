import { isMethod, requests, type Method, type Params } from '../../shared/contract/requests';
import { describeZodError, type ErrorPayload } from '../../shared/errors';

export interface IpcFailure {
  type: 'response';
  id: string;
  ok: false;
  error: ErrorPayload;
}

/** A request that matched the contract: its method names the type of its parsed parameters. */
export type CheckedRequest = { [M in Method]: { ok: true; id: string; method: M; params: Params<M> } }[Method];

export type CheckedIpcRequest = CheckedRequest | { ok: false; response: IpcFailure };

/**
 * An IPC request as the main process receives it, checked against the contract before it goes
 * anywhere: a short string id, a known method, and parameters that match the method's zod schema
 * (the same check the engine makes, so nothing malformed reaches the engine or the main
 * process's own handling, such as the PDF export's file). The parameters come back parsed.
 */
export function checkIpcRequest(id: unknown, method: unknown, params: unknown): CheckedIpcRequest {
  const replyId = typeof id === 'string' && id.length > 0 && id.length <= 100 ? id : 'invalid';
  const fail = (message: string): CheckedIpcRequest => ({ ok: false, response: { type: 'response', id: replyId, ok: false, error: { code: 'invalid-request', message } } });
  if (replyId === 'invalid' || !isMethod(method)) return fail(`Malformed request (id ${JSON.stringify(id) ?? 'undefined'}, method ${JSON.stringify(method) ?? 'undefined'}).`);
  const parsed = requests[method].params.safeParse(params ?? {});
  if (!parsed.success) return fail(`Invalid parameters for "${method}": ${describeZodError(parsed.error)}.`);
  return { ok: true, id: replyId, method, params: parsed.data } as CheckedRequest;
}
