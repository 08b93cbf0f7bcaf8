import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';
import { ExitCauseReporter } from './test/helpers/exit-cause-reporter';

/** Svelte component tests: they mount components in jsdom. */
const domTests = ['test/renderer/components/**/*.test.ts'];

/**
 * Tests never read or write the user's own Lumen home (settings, saved cards, recent projects):
 * every run gets a fresh one; tests that need their own set LUMEN_HOME themselves.
 */
const testHome = process.env['LUMEN_HOME'] ?? mkdtempSync(join(tmpdir(), 'lumen-test-home-'));

const shared = {
  // onnxruntime-node and sharp are native: separate processes are the safe isolation.
  pool: 'forks',
  env: { LUMEN_HOME: testHome },
  // Replies from vitest reach each worker between tests (test/helpers/yield-between-tests.ts).
  setupFiles: ['test/helpers/yield-between-tests.ts'] as string[],
  testTimeout: 60_000,
  hookTimeout: 60_000,
} as const;

/**
 * Two projects. `node` is every test but the component tests, resolved as Node resolves (no Svelte
 * plugin: the `browser` and `svelte` export conditions would change what `ws` and others load).
 * `dom` compiles .svelte files with the app's svelte.config.js and resolves Svelte's browser build
 * (svelteTesting adds the `browser` condition and cleans the DOM up after each test), in jsdom.
 */
export default defineConfig({
  test: {
    // An error outside any test (an unhandled rejection, a worker that timed out or died) fails the
    // run, as it must; this is vitest's default, written out so it is not turned off by accident.
    dangerouslyIgnoreUnhandledErrors: false,
    // Forked workers holding onnxruntime and sharp need more than the default 10 s to close on a
    // machine shared by several test runs; past this vitest forces the exit and says what hung.
    teardownTimeout: 30_000,
    // After vitest's summary: why the run exits 1 when every test passed (test/helpers/exit-cause.ts).
    reporters: ['default', new ExitCauseReporter()],
    projects: [
      {
        test: {
          ...shared,
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'node_modules/**', ...domTests],
        },
      },
      {
        plugins: [svelte({ configFile: fileURLToPath(new URL('./svelte.config.js', import.meta.url)) }), svelteTesting()],
        test: {
          ...shared,
          name: 'dom',
          include: domTests,
          environment: 'jsdom',
        },
      },
    ],
  },
});
