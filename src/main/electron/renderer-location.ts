import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where the renderer is loaded from: electron-vite's dev server, or the built index.html. */
export function rendererUrl(): string {
  const dev = process.env['ELECTRON_RENDERER_URL'];
  if (dev) return dev;
  return pathToFileURL(join(fileURLToPath(new URL('.', import.meta.url)), '..', 'renderer', 'index.html')).href;
}

/** Only frames showing Lumen's own renderer may talk to the engine. */
export function isTrustedFrameUrl(frameUrl: string): boolean {
  const expected = new URL(rendererUrl());
  let actual: URL;
  try {
    actual = new URL(frameUrl);
  } catch {
    return false;
  }
  if (expected.protocol === 'file:') return actual.protocol === 'file:' && actual.pathname === expected.pathname;
  return actual.origin === expected.origin;
}
