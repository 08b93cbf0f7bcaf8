import { describe, expect, it } from 'vitest';
import { exitCause } from './exit-cause';

describe('why vitest exits 1 with no failing test', () => {
  it('says nothing for a clean run, or for failures the summary already shows', () => {
    expect(exitCause({ failedTests: 0, passedTests: 10, reason: 'passed', errors: [] })).toEqual([]);
    expect(exitCause({ failedTests: 2, passedTests: 8, reason: 'failed', errors: [] })).toEqual([]);
  });

  it('names a worker RPC timeout (the loaded-machine case) and where it was seen', () => {
    const lines = exitCause({
      failedTests: 0,
      passedTests: 1090,
      reason: 'failed',
      errors: [{ name: 'Error', message: '[vitest-worker]: Timeout calling "onTaskUpdate"', stack: 'Error: x\n    at run (/work/main/test/renderer/lib/heatmap/normalise.test.ts:40:5)' }],
    });
    expect(lines[0]).toBe('vitest exits with status 1 although all 1090 tests passed: 1 error(s) occurred outside any test.');
    expect(lines.join('\n')).toMatch(/busy for over 60 s without returning to its event loop/);
    expect(lines.join('\n')).toMatch(/Seen at: at run \(\/work\/main\/test\/renderer\/lib\/heatmap\/normalise\.test\.ts:40:5\)/);
  });

  it('names a worker that died or hung, and any other unhandled rejection', () => {
    const died = exitCause({ failedTests: 0, passedTests: 5, reason: 'failed', errors: [{ message: 'Worker exited unexpectedly' }] }).join('\n');
    expect(died).toMatch(/a test process died or would not close/);
    const other = exitCause({ failedTests: 0, passedTests: 5, reason: 'failed', errors: [{ name: 'TypeError', message: 'x is not a function' }] }).join('\n');
    expect(other).toMatch(/TypeError: x is not a function[\s\S]*unhandled rejection/);
  });

  it('a failed run with no error reported points to the Errors section', () => {
    expect(exitCause({ failedTests: 0, passedTests: 3, reason: 'failed', errors: [] }).at(-1)).toMatch(/see the "Errors" section/);
  });
});
