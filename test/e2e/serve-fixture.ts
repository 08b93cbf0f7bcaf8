import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { test as base } from '@playwright/test';
import { waitForServeUrl } from '../helpers/serve-url';
import { browserUnavailable } from './chromium';

export const screenshotDir = 'test-results/screenshots';

/** Starts the real `lumen serve` (built CLI, forked engine) once per worker and yields its URL. */
export const test = base.extend<object, { lumenUrl: string }>({
  lumenUrl: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const child: ChildProcess = spawn(process.execPath, ['bin/lumen.mjs', 'serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const { url } = await waitForServeUrl(child);
      mkdirSync(screenshotDir, { recursive: true });
      await use(url);
      child.kill('SIGTERM');
    },
    { scope: 'worker' },
  ],
});

test.beforeEach(() => {
  const reason = browserUnavailable();
  test.skip(reason !== null, reason ?? '');
});

export { expect } from '@playwright/test';
