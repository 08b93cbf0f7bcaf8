import { app, utilityProcess, type UtilityProcess } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PortTransport, type MessagePortLike } from '../../shared/contract/port-transport';
import type { AllowPathMessage } from '../engine-host/allow-path';
import { PathGrants } from './path-grants';

/**
 * The engine runs in one Electron utility process (not a worker thread: onnxruntime-node is known
 * to crash in Electron's workers). If it dies, requests in flight are answered with
 * `engine-unavailable` and the next request starts a fresh engine.
 *
 * The engine is confined as the browser door's is (LUMEN_CONFINE_PATHS): the page names only
 * what the user chose. The main process grants what was picked in its native dialogs, and tells
 * a fresh engine every grant again before its first request.
 */
export class EngineProcess {
  private child: UtilityProcess | null = null;
  private transport: PortTransport | null = null;
  private readonly eventListeners = new Set<(event: unknown) => void>();
  readonly grants = new PathGrants();

  current(): PortTransport {
    if (this.transport) return this.transport;
    const child = utilityProcess.fork(fileURLToPath(new URL('./engine-worker.js', import.meta.url)), [], {
      serviceName: 'Lumen engine',
      stdio: 'inherit',
      env: {
        ...process.env,
        // Requests come from a page; it may name only what the user chose (see grant()).
        LUMEN_CONFINE_PATHS: '1',
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
    // Before the transport exists, so before any request: the channel keeps this order.
    this.grants.replayTo(port);
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

  /**
   * Lets the engine accept `grant.path` (a path picked in a native dialog, a project the page
   * opened). Sent before the page learns the path, so it lands before the request that uses it.
   */
  grant(grant: AllowPathMessage): void {
    this.grants.record(grant);
    // No engine yet: the one started next is told every grant before anything else.
    if (this.child) this.child.postMessage(grant);
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
