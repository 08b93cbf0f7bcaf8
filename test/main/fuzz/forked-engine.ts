import { join } from 'node:path';
import { createApi, type LumenApi } from '../../../src/shared/contract/api';
import { PortTransport } from '../../../src/shared/contract/port-transport';
import { forkEngine } from '../../../src/main/engine-host/forked-engine';
import { tempDir } from '../../helpers/tiny-models';

/**
 * The engine in its own process, as the app and the bridge run it, so that a native crash on a
 * hostile file shows up as a dead process (a finding) instead of taking the test runner down.
 * After a crash the next case gets a fresh engine.
 */
export function fuzzEngine(): { api: () => LumenApi; generation: () => number; crashed: () => string | null; close: () => Promise<void> } {
  let current: ReturnType<typeof forkEngine> | undefined;
  let api: LumenApi | undefined;
  let exit: string | null = null;
  let started = 0;
  const start = (): LumenApi => {
    current = forkEngine({ LUMEN_CACHE_DIR: join(tempDir('lumen-fuzz-cache-'), 'cache') });
    exit = null;
    started++;
    current.child.once('exit', (code, signal) => {
      exit = `the engine process exited (${signal ?? `code ${code}`})`;
    });
    api = createApi(new PortTransport(current.port));
    return api;
  };
  return {
    api: () => (api && exit === null ? api : start()),
    /** How many engine processes have been started: what was opened in an earlier one is gone. */
    generation: () => started,
    /** Why the engine process died since the last call, or null while it lives. */
    crashed: () => {
      const why = exit;
      if (why !== null) api = undefined;
      return why;
    },
    close: async () => {
      await current?.close();
    },
  };
}
