/**
 * Entry point of the engine process: Electron's utility process in the app, a forked child of
 * `lumen serve` in browser mode. It answers contract envelopes from its parent and nothing else.
 */
import { Dispatcher } from '../../shared/contract/dispatcher';
import { Engine } from '../engine/engine';
import { connectToParent } from './parent-port';

const port = connectToParent();
const threads = Number(process.env['LUMEN_THREADS'] ?? 0);
const engine = new Engine({
  threads: Number.isFinite(threads) && threads > 0 ? threads : 0,
  emit: (event, payload) => port.postMessage({ type: 'event', event, payload }),
});
const dispatcher = new Dispatcher(engine.handlers);

port.onMessage((message) => {
  void dispatcher.handle(message).then((response) => {
    if (response) port.postMessage(response);
  });
});
port.onClose(() => {
  dispatcher.cancelAll();
  void engine.dispose().finally(() => process.exit(0));
});
