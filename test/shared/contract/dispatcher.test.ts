import { describe, expect, it } from 'vitest';
import { Dispatcher, type Handlers } from '../../../src/shared/contract/dispatcher';
import { LumenError } from '../../../src/shared/errors';

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const unused = async (): Promise<never> => {
    throw new Error('not used in this test');
  };
  return {
    'app.info': unused,
    'models.open': unused,
    'models.list': async () => [],
    'models.details': unused,
    'samples.list': async () => [{ id: 'a', fileName: 'a.png', title: 'A', license: 'CC0' }],
    'images.open': unused,
    'images.values': unused,
    classify: unused,
    'methods.list': unused,
    attribute: unused,
    'models.layers': unused,
    'metrics.list': unused,
    evaluate: unused,
    roar: unused,
    'evaluation.dataset': unused,
    audit: unused,
    'audit.results': unused,
    'audit.summary': unused,
    'jobs.list': unused,
    'jobs.pause': unused,
    'jobs.cancel': unused,
    'models.import': unused,
    'models.updateCard': unused,
    'projects.recent': unused,
    'projects.open': unused,
    'projects.demo': unused,
    'projects.merge': unused,
    'datasets.import': unused,
    'datasets.images': unused,
    'datasets.studies': unused,
    'datasets.thumbnails': unused,
    'annotations.list': unused,
    'annotations.save': unused,
    'annotations.delete': unused,
    'explanations.list': unused,
    'explanations.save': unused,
    'explanations.delete': unused,
    'report.plan': unused,
    'report.render': unused,
    'report.export': unused,
    'dicom.export': unused,
    'settings.get': unused,
    'settings.set': unused,
    ...overrides,
  };
}

describe('Dispatcher', () => {
  it('answers a valid request with its validated result', async () => {
    const response = await new Dispatcher(handlers()).handle({ type: 'request', id: '1', method: 'samples.list', params: {} });
    expect(response).toEqual({ type: 'response', id: '1', ok: true, result: [{ id: 'a', fileName: 'a.png', title: 'A', license: 'CC0' }] });
  });

  it.each([
    ['a string', 'hello'],
    ['null', null],
    ['a message without a type', { id: '7', method: 'samples.list' }],
    ['a request without an id', { type: 'request', method: 'samples.list', params: {} }],
    ['an unknown envelope field', { type: 'request', id: '7', method: 'samples.list', params: {}, extra: 1 }],
  ])('answers %s with a typed invalid-request error', async (_name, message) => {
    const response = await new Dispatcher(handlers()).handle(message);
    expect(response?.ok).toBe(false);
    if (response && !response.ok) {
      expect(response.error.code).toBe('invalid-request');
      expect(response.error.message).toMatch(/Malformed message/);
    }
  });

  it('keeps the id of a malformed message when it has one', async () => {
    const response = await new Dispatcher(handlers()).handle({ type: 'request', id: '42', method: 5 });
    expect(response?.id).toBe('42');
  });

  it('rejects an unknown method and lists the known ones', async () => {
    const response = await new Dispatcher(handlers()).handle({ type: 'request', id: '1', method: 'rm -rf', params: {} });
    expect(response).toMatchObject({ ok: false, error: { code: 'invalid-request', message: 'Unknown method "rm -rf".' } });
    if (response && !response.ok) expect(response.error.hint).toContain('classify');
  });

  it('rejects invalid parameters, naming the field', async () => {
    const response = await new Dispatcher(handlers()).handle({ type: 'request', id: '1', method: 'classify', params: { modelId: 'm', imageId: 'i', topK: 0 } });
    expect(response).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    if (response && !response.ok) expect(response.error.message).toContain('topK');
  });

  it('passes a LumenError through unchanged', async () => {
    const d = new Dispatcher(handlers({ 'models.list': async () => Promise.reject(new LumenError('not-found', 'gone', 'look elsewhere')) }));
    const response = await d.handle({ type: 'request', id: '1', method: 'models.list', params: {} });
    expect(response).toEqual({ type: 'response', id: '1', ok: false, error: { code: 'not-found', message: 'gone', hint: 'look elsewhere' } });
  });

  it('turns an unexpected exception into an internal error instead of crashing', async () => {
    const d = new Dispatcher(handlers({ 'models.list': async () => Promise.reject(new TypeError('boom')) }));
    const response = await d.handle({ type: 'request', id: '1', method: 'models.list', params: {} });
    expect(response).toMatchObject({ ok: false, error: { code: 'internal', message: 'Unexpected error: boom' } });
  });

  it('refuses to send a result that breaks the contract', async () => {
    const d = new Dispatcher(handlers({ 'samples.list': async () => [{ id: 1 }] as never }));
    const response = await d.handle({ type: 'request', id: '1', method: 'samples.list', params: {} });
    expect(response).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('aborts a request when its cancel arrives', async () => {
    let seen: AbortSignal | undefined;
    const d = new Dispatcher(
      handlers({
        'models.list': (_p, { signal }) => {
          seen = signal;
          return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new LumenError('cancelled', 'stopped'))));
        },
      }),
    );
    const pending = d.handle({ type: 'request', id: '9', method: 'models.list', params: {} });
    expect(await d.handle({ type: 'cancel', id: '9' })).toBeNull();
    expect(seen?.aborted).toBe(true);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'cancelled' } });
  });
});
