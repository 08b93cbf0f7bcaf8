import { createApi, type LumenApi } from '../../../../shared/contract/api';
import { bridgeTransport } from './bridge-transport';
import { ipcTransport } from './ipc-transport';
import { preloadApi } from './preload';

/**
 * One API client for both doors: inside Electron the preload provides `window.lumen`; in a
 * browser the page talks to the loopback bridge it was served from.
 */
export function connect(): { api: LumenApi; door: 'electron' | 'bridge' } {
  const preload = preloadApi();
  if (preload) return { api: createApi(ipcTransport(preload)), door: 'electron' };
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (token) {
    // The cookie set with the page keeps later loads authorised; the address bar (and any
    // screenshot of it) should not show the token.
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return { api: createApi(bridgeTransport(window.location, token)), door: 'bridge' };
}
