/**
 * Entry point of the engine process: Electron's utility process in the app, a forked child of
 * `lumen serve` in browser mode. It answers contract envelopes from its parent and nothing else.
 */
import { Dispatcher } from '../../shared/contract/dispatcher';
import { Engine } from '../engine/engine';
import { connectToParent } from './parent-port';
import { AllowPathMessage } from './allow-path';

const port = connectToParent();
const threads = Number(process.env['LUMEN_THREADS'] ?? 0);
const engine = new Engine({
  threads: Number.isFinite(threads) && threads > 0 ? threads : 0,
  // Set by whoever starts this process for a door whose requests may come from anyone with the token.
  confinePaths: process.env['LUMEN_CONFINE_PATHS'] === '1',
  // A person clicks Explain in this door: the default methods' graphs are made ready when a model opens.
  precompileDefaults: true,
  emit: (event, payload) => port.postMessage({ type: 'event', event, payload }),
});
const dispatcher = new Dispatcher(engine.handlers);

port.onMessage((message) => {
  // A file or folder the user picked in a dialog of the app's main process: the page may now name it.
  // Only the parent sends these; the bridge forwards requests and cancels only.
  const grant = AllowPathMessage.safeParse(message);
  if (grant.success) return engine.allowedRoots.allow(grant.data.path, grant.data.access);
  void dispatcher.handle(message).then((response) => {
    if (response) port.postMessage(response);
  });
});
port.onClose(() => {
  dispatcher.cancelAll();
  void engine.dispose().finally(() => process.exit(0));
});
