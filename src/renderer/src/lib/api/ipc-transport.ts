import type { Transport } from '../../../../shared/contract/api';
import type { PreloadApi } from '../../../../shared/contract/preload-api';

/** The Electron door: the preload's `window.lumen`. */
export function ipcTransport(preload: PreloadApi): Transport {
  return {
    request: (id, method, params) => preload.request[method](id, params),
    cancel: (id) => preload.cancel(id),
    subscribe: (listener) => preload.onEvent(listener),
  };
}
