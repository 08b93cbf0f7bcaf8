import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MessagePortLike } from '../../shared/contract/port-transport';

/**
 * The engine in a child process, as the bridge runs it: a crash or a runaway computation in the
 * engine cannot take the HTTP server down, mirroring the app's utility process. `worker` names the
 * worker script when it cannot be found next to this module (component tests in jsdom).
 */
export function forkEngine(env: NodeJS.ProcessEnv = {}, worker: { script: string; execArgv: string[] } = workerScript()): { port: MessagePortLike; child: ChildProcess; close: () => Promise<void> } {
  const { script, execArgv } = worker;
  const child = fork(script, [], {
    serialization: 'advanced', // structured clone: typed arrays cross without JSON
    execArgv,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port: MessagePortLike = {
    postMessage: (message) => {
      if (child.connected) child.send(message as never);
    },
    onMessage: (listener) => {
      child.on('message', listener);
      return () => child.off('message', listener);
    },
    onClose: (listener) => {
      const onExit = (code: number | null, signal: string | null): void => listener(`engine process exited (${signal ?? `code ${code}`})`);
      child.on('exit', onExit);
      return () => child.off('exit', onExit);
    },
  };
  return {
    port,
    child,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

/** The worker next to this module: built `.mjs` in the CLI bundle, `.ts` under tsx in development. */
function workerScript(): { script: string; execArgv: string[] } {
  const built = fileURLToPath(new URL('./engine-worker.mjs', import.meta.url));
  if (existsSync(built)) return { script: built, execArgv: [] };
  const source = fileURLToPath(new URL('./engine-worker.ts', import.meta.url));
  return { script: source, execArgv: ['--import', 'tsx'] };
}
