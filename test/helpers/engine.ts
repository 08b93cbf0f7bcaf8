import { afterAll, beforeAll } from 'vitest';
import { createApi, type LumenApi } from '../../src/shared/contract/api';
import { PortTransport } from '../../src/shared/contract/port-transport';
import { localEnginePort } from '../../src/main/engine-host/local-engine';

/** An in-process engine behind the real contract (validation included), for tests. */
export function testApi(): { api: LumenApi; close: () => Promise<void> } {
  // Compiled graphs stay in memory: tests never read or write the user's cache.
  const { port, close } = localEnginePort({ graphCacheDir: null });
  return { api: createApi(new PortTransport(port)), close };
}

/**
 * The bundled MobileNetV2 and one sample image, opened on a fresh in-process engine before the
 * describe block's tests and closed after them. Read the fields inside tests, not at collection.
 */
export function useBundledModel(sampleId: string): { api: LumenApi; modelId: string; imageId: string } {
  const state = {} as { api: LumenApi; close: () => Promise<void>; modelId: string; imageId: string };
  beforeAll(async () => {
    ({ api: state.api, close: state.close } = testApi());
    state.modelId = (await state.api.call('models.open', {})).id;
    state.imageId = (await state.api.call('images.open', { source: 'sample', sampleId })).id;
  });
  afterAll(() => state.close());
  return state;
}
