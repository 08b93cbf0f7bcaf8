import { createApi, type LumenApi } from '../../src/shared/contract/api';
import { PortTransport } from '../../src/shared/contract/port-transport';
import { localEnginePort } from '../../src/main/engine-host/local-engine';

/** An in-process engine behind the real contract (validation included), for tests. */
export function testApi(): { api: LumenApi; close: () => Promise<void> } {
  // Compiled graphs stay in memory: tests never read or write the user's cache.
  const { port, close } = localEnginePort({ graphCacheDir: null });
  return { api: createApi(new PortTransport(port)), close };
}
