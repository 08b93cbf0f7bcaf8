import { Dispatcher } from '../../shared/contract/dispatcher';
import type { MessagePortLike } from '../../shared/contract/port-transport';
import { Engine, type EngineOptions } from '../engine/engine';

/**
 * The engine in this very process, behind the same envelope port as a forked one: the CLI uses it,
 * and tests use it to exercise the bridge without spawning processes.
 */
export function localEnginePort(options: Omit<EngineOptions, 'emit'> = {}): { port: MessagePortLike; engine: Engine; close: () => Promise<void> } {
  const listeners = new Set<(message: unknown) => void>();
  const closeListeners = new Set<(reason: string) => void>();
  const deliver = (message: unknown): void => {
    for (const l of listeners) l(message);
  };
  const engine = new Engine({ ...options, emit: (event, payload) => deliver({ type: 'event', event, payload }) });
  const dispatcher = new Dispatcher(engine.handlers);
  const port: MessagePortLike = {
    postMessage: (message) => {
      void dispatcher.handle(message).then((response) => {
        if (response) deliver(response);
      });
    },
    onMessage: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onClose: (listener) => {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
  };
  return {
    port,
    engine,
    close: async () => {
      dispatcher.cancelAll();
      for (const l of closeListeners) l('engine closed');
      await engine.dispose();
    },
  };
}
