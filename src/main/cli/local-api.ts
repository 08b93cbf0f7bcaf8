import { createApi, type LumenApi } from '../../shared/contract/api';
import { PortTransport } from '../../shared/contract/port-transport';
import { localEnginePort } from '../engine-host/local-engine';

/** The CLI runs the engine in its own process, through the same typed, validated API as the app. */
export function openLocalApi(): { api: LumenApi; close: () => Promise<void> } {
  const threads = Number(process.env['LUMEN_THREADS'] ?? 0);
  const { port, close } = localEnginePort({ threads: Number.isFinite(threads) && threads > 0 ? threads : 0 });
  return { api: createApi(new PortTransport(port)), close };
}
