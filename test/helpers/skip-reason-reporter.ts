import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/** A skipped test's line: its title path and why it was skipped (its `test.skip` description). */
export function skipLine(test: Pick<TestCase, 'titlePath' | 'annotations'>, result: Pick<TestResult, 'annotations'>): string {
  const reasons = [...test.annotations, ...result.annotations].filter((a) => (a.type === 'skip' || a.type === 'fixme') && a.description).map((a) => a.description!);
  const title = test.titlePath().filter(Boolean).join(' › ');
  return `skipped: ${title}: ${reasons.length > 0 ? [...new Set(reasons)].join('; ') : 'no reason given'}`;
}

/**
 * Playwright's list reporter shows a skipped test without its reason, so a CI log cannot tell a
 * test skipped on purpose (no Electron binary, no display) from one that should have run. This
 * reporter prints each skipped test with the reason given to `test.skip`, after the run.
 */
export default class SkipReasonReporter implements Reporter {
  private readonly lines: string[] = [];

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status === 'skipped') this.lines.push(skipLine(test, result));
  }

  onEnd(_result: FullResult): void {
    if (this.lines.length === 0) return;
    process.stdout.write(`\n${this.lines.length} skipped, with the reasons:\n${this.lines.map((l) => `  ${l}\n`).join('')}`);
  }

  printsToStdio(): boolean {
    return true;
  }
}
