import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import { createApi, type LumenApi } from '../../../src/shared/contract/api';
import { PortTransport, type MessagePortLike } from '../../../src/shared/contract/port-transport';

/**
 * The real engine in a child process, for component tests that compute (explain, audit): in jsdom
 * onnxruntime refuses the page's typed arrays, and jsdom's URL cannot find the worker script the
 * way src/main/engine-host/forked-engine.ts does, so the worker is named from the repository root.
 */
export function engineProcess(env: NodeJS.ProcessEnv = {}): { api: LumenApi; close: () => Promise<void> } {
  const child = fork(resolve('src/main/engine-host/engine-worker.ts'), [], {
    serialization: 'advanced',
    execArgv: ['--import', 'tsx'],
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
  const close = (): Promise<void> =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.disconnect();
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  return { api: createApi(new PortTransport(port)), close };
}
