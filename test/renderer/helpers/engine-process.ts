import { resolve } from 'node:path';
import { createApi, type LumenApi } from '../../../src/shared/contract/api';
import { PortTransport } from '../../../src/shared/contract/port-transport';
import { forkEngine } from '../../../src/main/engine-host/forked-engine';

/**
 * The real engine in a child process, for component tests that compute (explain, audit): in jsdom
 * onnxruntime refuses the page's typed arrays, and jsdom's URL cannot find the worker script the
 * way forkEngine does, so the worker is named from the repository root.
 */
export function engineProcess(env: NodeJS.ProcessEnv = {}): { api: LumenApi; close: () => Promise<void> } {
  const { port, close } = forkEngine(env, { script: resolve('src/main/engine-host/engine-worker.ts'), execArgv: ['--import', 'tsx'] });
  return { api: createApi(new PortTransport(port)), close };
}
