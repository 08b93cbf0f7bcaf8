import type { PreloadApi } from '../../../../shared/contract/preload-api';

/** The preload's `window.lumen`: present only inside Electron (a browser page has none). */
export function preloadApi(): PreloadApi | undefined {
  return (window as unknown as { lumen?: PreloadApi }).lumen;
}
