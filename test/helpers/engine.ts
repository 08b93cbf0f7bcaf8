import { createApi, type LumenApi } from '../../src/shared/contract/api';
import { PortTransport } from '../../src/shared/contract/port-transport';
import { localEnginePort } from '../../src/main/engine-host/local-engine';

/** An in-process engine behind the real contract (validation included), for tests. */
export function testApi(): { api: LumenApi; close: () => Promise<void> } {
  const { port, close } = localEnginePort();
  return { api: createApi(new PortTransport(port)), close };
}
