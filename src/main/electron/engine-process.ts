import { app, utilityProcess, type UtilityProcess } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PortTransport, type MessagePortLike } from '../../shared/contract/port-transport';

/**
 * The engine runs in one Electron utility process (not a worker thread: onnxruntime-node is known
 * to crash in Electron's workers). If it dies, requests in flight are answered with
 * `engine-unavailable` and the next request starts a fresh engine.
 */
export class EngineProcess {
  private child: UtilityProcess | null = null;
  private transport: PortTransport | null = null;
  private readonly eventListeners = new Set<(event: unknown) => void>();

  current(): PortTransport {
    if (this.transport) return this.transport;
    const child = utilityProcess.fork(fileURLToPath(new URL('./engine-worker.js', import.meta.url)), [], {
      serviceName: 'Lumen engine',
      stdio: 'inherit',
      env: {
        ...process.env,
        ...(app.isPackaged ? { LUMEN_RESOURCES_DIR: join(process.resourcesPath, 'resources') } : {}),
      },
    });
    const port: MessagePortLike = {
      postMessage: (message) => child.postMessage(message),
      onMessage: (listener) => {
        child.on('message', listener);
        return () => child.off('message', listener);
      },
      onClose: (listener) => {
        const onExit = (code: number): void => listener(`engine process exited with code ${code}`);
        child.on('exit', onExit);
        return () => child.off('exit', onExit);
      },
    };
    const transport = new PortTransport(port);
    transport.subscribe((event) => this.eventListeners.forEach((l) => l(event)));
    child.on('exit', () => {
      if (this.child === child) {
        this.child = null;
        this.transport = null;
      }
    });
    this.child = child;
    this.transport = transport;
    return transport;
  }

  onEvent(listener: (event: unknown) => void): void {
    this.eventListeners.add(listener);
  }

  stop(): void {
    this.child?.kill();
    this.child = null;
    this.transport = null;
  }
}
