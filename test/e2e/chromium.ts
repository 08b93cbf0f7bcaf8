import { existsSync } from 'node:fs';

/** Debian's Chromium (or LUMEN_CHROMIUM); null when neither is installed. */
export function chromiumPath(): string | null {
  const candidates = [process.env['LUMEN_CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  return candidates.find((p) => existsSync(p)) ?? null;
}

/**
 * Why browser tests cannot run here, or null when they can. CI sets LUMEN_REQUIRE_E2E=1 so a
 * missing browser fails the run instead of skipping it.
 */
export function browserUnavailable(): string | null {
  if (chromiumPath()) return null;
  const reason = 'Chromium is not installed (apt-get install chromium, or set LUMEN_CHROMIUM)';
  if (process.env['LUMEN_REQUIRE_E2E'] === '1') throw new Error(`${reason}, and LUMEN_REQUIRE_E2E=1 requires the browser tests.`);
  return reason;
}
