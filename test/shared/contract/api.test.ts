import { describe, expect, it } from 'vitest';
import { createApi, type Transport } from '../../../src/shared/contract/api';
import { LumenError } from '../../../src/shared/errors';

function transport(answer: (method: string, params: unknown) => unknown): Transport & { sent: unknown[] } {
  const sent: unknown[] = [];
  return {
    sent,
    request: async (id, method, params) => {
      sent.push(params);
      return { type: 'response', id, ok: true, result: answer(method, params) };
    },
    cancel: () => undefined,
    subscribe: () => () => undefined,
  };
}

describe('createApi', () => {
  it('fills parameter defaults before sending', async () => {
    const t = transport(() => {
      throw new Error('no result needed');
    });
    const api = createApi({ ...t, request: async (id, method, params) => {
      t.sent.push(params);
      return { type: 'response', id, ok: false, error: { code: 'not-found', message: 'x' } };
    } });
    await expect(api.call('classify', { modelId: 'm', imageId: 'i' })).rejects.toBeInstanceOf(LumenError);
    expect(t.sent[0]).toEqual({ modelId: 'm', imageId: 'i', topK: 5 });
  });

  it('rejects bad parameters without sending them', async () => {
    const t = transport(() => []);
    const api = createApi(t);
    await expect(api.call('classify', { modelId: 'm', imageId: 'i', topK: -1 })).rejects.toMatchObject({ code: 'invalid-request' });
    expect(t.sent).toHaveLength(0);
  });

  it('rejects a result that breaks the contract', async () => {
    const api = createApi(transport(() => [{ id: 3 }]));
    await expect(api.call('samples.list', {})).rejects.toMatchObject({ code: 'internal' });
  });

  it('rethrows engine errors as LumenError with code and hint', async () => {
    const api = createApi({
      request: async (id) => ({ type: 'response', id, ok: false, error: { code: 'invalid-image', message: 'bad', hint: 'fix it' } }),
      cancel: () => undefined,
      subscribe: () => () => undefined,
    });
    const error = await api.call('samples.list', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LumenError);
    expect(error).toMatchObject({ code: 'invalid-image', message: 'bad', hint: 'fix it' });
  });

  it('delivers only valid events of the subscribed kind', () => {
    let emit: (e: unknown) => void = () => undefined;
    const api = createApi({ request: async () => null, cancel: () => undefined, subscribe: (l) => ((emit = l), () => undefined) });
    const got: string[] = [];
    api.on('notice', (n) => got.push(n.message));
    emit({ type: 'event', event: 'notice', payload: { level: 'info', message: 'hello' } });
    emit({ type: 'event', event: 'notice', payload: { level: 'loud', message: 'bad level' } });
    emit({ type: 'event', event: 'progress', payload: { requestId: 'x', done: 1, total: 2 } });
    expect(got).toEqual(['hello']);
  });
});
