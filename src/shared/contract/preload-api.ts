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
}

export const ipcChannels = {
  request: 'lumen:request',
  cancel: 'lumen:cancel',
  event: 'lumen:event',
} as const;
