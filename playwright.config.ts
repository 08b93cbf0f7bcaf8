import { defineConfig } from '@playwright/test';
import { chromiumPath } from './test/e2e/chromium';

/**
 * End-to-end tests drive the real renderer in Debian's Chromium through the loopback bridge
 * (`lumen serve`), and Electron itself where its binary exists. Nothing is downloaded.
 */
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  // The list, then each skipped test with its reason (the list reporter does not show it).
  reporter: [['list'], ['./test/helpers/skip-reason-reporter.ts']],
  use: {
    headless: true,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: chromiumPath() ?? undefined,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    },
  },
});
