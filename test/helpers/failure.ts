import { expect } from 'vitest';
import { LumenError } from '../../src/shared/errors';

/** The LumenError a promise rejects with (the test fails if it resolves or rejects otherwise). */
export async function failure(promise: Promise<unknown>): Promise<LumenError> {
  const error = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LumenError);
  return error as LumenError;
}
