import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceleratorCandidates } from '../../../../src/main/engine/runtime/execution-providers';
import { localEnginePort } from '../../../../src/main/engine-host/local-engine';
import { createApi, type LumenApi } from '../../../../src/shared/contract/api';
import { PortTransport } from '../../../../src/shared/contract/port-transport';
import type { Engine } from '../../../../src/main/engine/engine';

describe('execution providers', () => {
  let api: LumenApi;
  let engine: Engine;
  let close: () => Promise<void>;
  const notices: string[] = [];

  beforeAll(() => {
    const local = localEnginePort();
    ({ engine, close } = local);
    api = createApi(new PortTransport(local.port));
    api.on('notice', (n) => notices.push(n.message));
  });
  afterAll(() => close());

  it('reports every provider with its availability and why not', async () => {
    const info = await api.call('app.info', {});
    const byName = Object.fromEntries(info.executionProviders.map((p) => [p.name, p]));
    expect(byName['cpu']).toEqual({ name: 'cpu', available: true });
    for (const name of ['cuda', 'dml', 'coreml'] as const) {
      expect(byName[name]).toBeDefined();
      if (!byName[name]!.available) expect(byName[name]!.reason).toBeTruthy();
    }
    if (process.platform === 'linux') expect(byName['dml']!.reason).toBe('not supported on linux');
  });

  it('falls back to CPU with a clear reason when the requested provider is unavailable', async () => {
    const info = await api.call('app.info', {});
    const cuda = info.executionProviders.find((p) => p.name === 'cuda')!;
    const model = await api.call('models.open', { executionProvider: 'cuda' });
    if (cuda.available) {
      expect(model.executionProvider.used).toBe('cuda');
    } else {
      expect(model.executionProvider).toMatchObject({ requested: 'cuda', used: 'cpu' });
      expect(model.executionProvider.fallbackReason).toMatch(/^cuda: .+; using CPU$/);
      expect(notices.some((n) => n.startsWith('CUDA is not available'))).toBe(true);
    }
  });

  it('a provider of another platform falls back too', async () => {
    const foreign = process.platform === 'win32' ? 'coreml' : 'dml';
    const model = await api.call('models.open', { executionProvider: foreign });
    expect(model.executionProvider.used).toBe('cpu');
    expect(model.executionProvider.fallbackReason).toContain(foreign);
  });

  it('cpu is used as asked, with no fallback', async () => {
    const model = await api.call('models.open', { executionProvider: 'cpu' });
    expect(model.executionProvider).toEqual({ requested: 'cpu', used: 'cpu' });
  });

  it('auto tries only the platform\'s accelerators', () => {
    expect(acceleratorCandidates('linux')).toEqual(['cuda']);
    expect(acceleratorCandidates('win32')).toEqual(['dml', 'cuda']);
    expect(acceleratorCandidates('darwin')).toEqual(['coreml']);
  });

  it('reuses one session per model and provider', async () => {
    const before = engine.pool.size;
    const a = await api.call('models.open', { executionProvider: 'cpu' });
    const b = await api.call('models.open', { executionProvider: 'cpu' });
    expect(b.id).toBe(a.id);
    expect(engine.pool.size).toBe(before);
    expect(engine.models.get(a.id).session).toBe(engine.models.get(b.id).session);
  });
});
