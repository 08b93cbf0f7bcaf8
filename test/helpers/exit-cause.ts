/**
 * Why `vitest run` exits with status 1 when no test failed, in words, so a green-looking summary
 * cannot hide it. Vitest sets status 1 for errors raised outside any test ("Errors  1 error" under
 * the summary, easy to miss after a thousand passing tests). The ones seen on loaded machines:
 *
 * - `[vitest-worker]: Timeout calling "onTaskUpdate"` (or "fetch", ...): the worker's messages to
 *   the main process time out after birpc's fixed 60 s when a test file keeps its event loop busy
 *   that long (spawnSync of the CLI, synchronous work that takes 8 s alone and 60 s on a machine
 *   shared 8 ways). Reproduced on test/main/cli/attribute-cli.test.ts; yield-between-tests.ts now
 *   turns the loop after every test;
 * - `Worker exited unexpectedly` / `Timeout terminating forks worker`: a test process died or did
 *   not close (a native handle, a child process or a server left open, or memory ran out);
 * - any other error thrown or rejected after its test finished (an unhandled rejection).
 */
export interface RunSummary {
  failedTests: number;
  passedTests: number;
  /** Vitest's reason for the run's end: 'failed' means exit status 1. */
  reason: 'passed' | 'interrupted' | 'failed';
  errors: ReadonlyArray<{ message: string; name?: string | undefined; stack?: string | undefined }>;
}

const explanations: Array<[RegExp, string]> = [
  [
    /Timeout calling "/,
    'a test worker was busy for over 60 s without returning to its event loop (long synchronous work, slowed by a loaded machine), so its messages to vitest timed out. Its tests may have passed, but the run is not trusted: rerun, and split the slow test\'s work (await between parts).',
  ],
  [
    /Worker exited unexpectedly|Timeout terminating|Failed to terminate|Worker forks emitted error/,
    'a test process died or would not close: a native handle (onnxruntime session, sharp), a child process or a server left open, or the machine ran out of memory.',
  ],
];

/** Lines to print when the run fails without a failing test (or has errors outside tests); empty otherwise. */
export function exitCause(run: RunSummary): string[] {
  if (run.errors.length === 0 && !(run.reason === 'failed' && run.failedTests === 0)) return [];
  const lines = [
    run.failedTests === 0
      ? `vitest exits with status 1 although all ${run.passedTests} tests passed: ${run.errors.length} error(s) occurred outside any test.`
      : `Besides ${run.failedTests} failed test(s), ${run.errors.length} error(s) occurred outside any test.`,
  ];
  for (const [k, error] of run.errors.entries()) {
    const where = error.stack?.split('\n').find((l) => /\/test\/.*\.test\.ts/.test(l))?.trim();
    const explanation = explanations.find(([pattern]) => pattern.test(error.message))?.[1] ?? 'an error thrown or a promise rejected outside any test (an unhandled rejection): a test did not await something it started.';
    lines.push(`  ${k + 1}. ${error.name ?? 'Error'}: ${error.message.split('\n')[0]}`, `     Cause: ${explanation}`, ...(where ? [`     Seen at: ${where}`] : []));
  }
  if (run.errors.length === 0) lines.push('  No error was reported to the reporters; see the "Errors" section above the summary.');
  return lines;
}
