import { LumenError, toErrorPayload } from '../../../../shared/errors';

/** Any thrown value as a LumenError, so every error banner can show a message and a hint. */
export function asLumenError(e: unknown): LumenError {
  return e instanceof LumenError ? e : LumenError.fromPayload(toErrorPayload(e));
}
