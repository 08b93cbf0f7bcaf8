import { afterEach, describe, expect, it } from 'vitest';
import { isTrustedFrameUrl, rendererUrl } from '../../../src/main/electron/renderer-location';

describe('which frames may talk to the engine', () => {
  afterEach(() => {
    delete process.env['ELECTRON_RENDERER_URL'];
  });

  it('trusts only the built renderer page when loaded from disk', () => {
    const own = rendererUrl();
    expect(own).toMatch(/^file:.*\/renderer\/index\.html$/);
    expect(isTrustedFrameUrl(own)).toBe(true);
    expect(isTrustedFrameUrl(`${own}#/inspector`)).toBe(true);
    expect(isTrustedFrameUrl('file:///tmp/evil.html')).toBe(false);
    expect(isTrustedFrameUrl('https://example.com/')).toBe(false);
    expect(isTrustedFrameUrl('not a url')).toBe(false);
  });

  it('trusts only the dev server origin in development', () => {
    process.env['ELECTRON_RENDERER_URL'] = 'http://localhost:5173';
    expect(isTrustedFrameUrl('http://localhost:5173/index.html')).toBe(true);
    expect(isTrustedFrameUrl('http://localhost:5174/')).toBe(false);
  });
});
