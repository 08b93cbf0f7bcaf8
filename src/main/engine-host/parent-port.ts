import type { MessagePortLike } from '../../shared/contract/port-transport';

/** The slice of Electron's `process.parentPort` the engine uses (the engine never imports electron). */
interface ElectronParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

/**
 * The channel to whoever started this engine process: Electron's utility-process parent port in
 * the app, or Node's IPC channel when forked by `lumen serve`.
 */
export function connectToParent(): MessagePortLike {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      postMessage: (m) => electronPort.postMessage(m),
      onMessage: (listener) => {
        electronPort.on('message', (event) => listener(event.data));
        return () => undefined;
      },
      onClose: () => () => undefined,
    };
  }
  if (typeof process.send === 'function') {
    return {
      postMessage: (m) => {
        process.send?.(m);
      },
      onMessage: (listener) => {
        process.on('message', listener);
        return () => process.off('message', listener);
      },
      onClose: (listener) => {
        const onDisconnect = (): void => listener('parent disconnected');
        process.on('disconnect', onDisconnect);
        return () => process.off('disconnect', onDisconnect);
      },
    };
  }
  throw new Error('engine-worker must be started by Lumen (as a utility process or a forked child).');
}
