import type { PickRequest, PickResult } from './native-picks';
import type { Method } from './requests';

/**
 * What the preload script exposes to the renderer as `window.lumen`: one function per engine
 * method (no generic channel), cancellation, and the event stream. Payloads are validated by the
 * renderer's API client and again by the engine.
 */
export interface PreloadApi {
  request: Record<Method, (id: string, params: unknown) => Promise<unknown>>;
  cancel(id: string): void;
  onEvent(listener: (event: unknown) => void): () => void;
  /**
   * A native file or folder dialog (the app only; a page in a browser picks files as bytes). The
   * path comes back already granted to the engine, which refuses paths nobody picked.
   */
  pick?(request: PickRequest): Promise<PickResult>;
}

export const ipcChannels = {
  request: 'lumen:request',
  cancel: 'lumen:cancel',
  event: 'lumen:event',
  pick: 'lumen:pick',
} as const;
