import { describeZodError, LumenError } from '../../shared/errors';
import type { Transport } from '../../shared/contract/api';
import { ResponseMessage } from '../../shared/contract/envelope';
import { requests, type Method, type Params, type Result } from '../../shared/contract/requests';

/**
 * One request from the main process to the engine, under an id the main process chose (the
 * window's prefix routes its progress events and its cancel), answered with the contract's typed
 * result. A failure is thrown as the engine's own LumenError.
 */
export async function callEngine<M extends Method>(transport: Pick<Transport, 'request'>, id: string, method: M, params: Params<M>): Promise<Result<M>> {
  const response = ResponseMessage.safeParse(await transport.request(id, method, params));
  if (!response.success) throw new LumenError('internal', `Malformed response to "${method}": ${describeZodError(response.error)}.`);
  if (!response.data.ok) throw LumenError.fromPayload(response.data.error);
  const result = requests[method].result.safeParse(response.data.result);
  if (!result.success) throw new LumenError('internal', `Invalid "${method}" result: ${describeZodError(result.error)}.`);
  return result.data as Result<M>;
}
