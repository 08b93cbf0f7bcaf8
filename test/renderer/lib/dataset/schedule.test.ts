import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { settleScheduler } from '../../../../src/renderer/src/lib/dataset/schedule';

describe('settleScheduler', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const make = (task: () => void) => settleScheduler(task, 50, 150, undefined, () => Date.now());

  it('runs once, the delay after the last poke', () => {
    const task = vi.fn();
    const s = make(task);
    s.poke();
    vi.advanceTimersByTime(30);
    s.poke();
    vi.advanceTimersByTime(49);
    expect(task).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('still runs every maxWait while pokes keep coming', () => {
    const task = vi.fn();
    const s = make(task);
    for (let t = 0; t < 400; t += 16) {
      s.poke();
      vi.advanceTimersByTime(16);
    }
    // Pokes every 16 ms for 400 ms: runs at ~150, ~300 and none of the 25 pokes in between.
    expect(task.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(task.mock.calls.length).toBeLessThanOrEqual(3);
  });

  it('cancel drops the pending run', () => {
    const task = vi.fn();
    const s = make(task);
    s.poke();
    s.cancel();
    vi.advanceTimersByTime(500);
    expect(task).not.toHaveBeenCalled();
  });
});
