import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { waitForServeUrl } from '../helpers/serve-url';
import { browserUnavailable } from './chromium';

export const screenshotDir = 'test-results/screenshots';

/** Starts the real `lumen serve` (built CLI, forked engine) once per worker and yields its URL. */
export const test = base.extend<object, { lumenUrl: string }>({
  lumenUrl: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      // A fresh Lumen home per worker: recent projects, settings and the demo project start empty.
      const home = mkdtempSync(join(tmpdir(), 'lumen-e2e-home-'));
      const child: ChildProcess = spawn(process.execPath, ['bin/lumen.mjs', 'serve'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LUMEN_HOME: home } });
      const { url } = await waitForServeUrl(child);
      mkdirSync(screenshotDir, { recursive: true });
      await use(url);
      child.kill('SIGTERM');
    },
    { scope: 'worker' },
  ],
});

/**
 * A `lumen serve` of a test's own, on a given Lumen home (the fixture's is shared by every test):
 * for tests that restart the engine or need a demo project nothing else has touched.
 */
export async function serveOnHome(home: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['bin/lumen.mjs', 'serve'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LUMEN_HOME: home } });
  const { url } = await waitForServeUrl(child);
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

test.beforeEach(() => {
  const reason = browserUnavailable();
  test.skip(reason !== null, reason ?? '');
});

export { expect } from '@playwright/test';
