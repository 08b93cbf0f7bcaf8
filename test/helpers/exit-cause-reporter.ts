import { writeSync } from 'node:fs';
import type { Reporter, SerializedError, TestModule, TestRunEndReason } from 'vitest/node';
import { exitCause } from './exit-cause';

/**
 * Prints, after vitest's own summary, why the run exits with status 1 when no test failed (see
 * exit-cause.ts), and what kept the process from closing when vitest had to force it.
 */
export class ExitCauseReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    let failedTests = 0;
    let passedTests = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'failed') failedTests++;
        else if (state === 'passed') passedTests++;
      }
    }
    const lines = exitCause({ failedTests, passedTests, reason, errors: unhandledErrors });
    // Written as the process exits, so it is the last thing printed, after vitest's summary
    // (which other reporters print at the same time as this hook runs).
    if (lines.length > 0) process.once('exit', () => writeSync(2, `\n${lines.join('\n')}\n`));
  }

  onProcessTimeout(): void {
    process.stderr.write(
      '\nvitest could not close within teardownTimeout and forces the exit: a test left a handle open (a child process, a server, a timer or a native session). The causes vitest found are listed above.\n',
    );
  }
}
