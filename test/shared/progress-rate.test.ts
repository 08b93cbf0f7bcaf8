import { describe, expect, it } from 'vitest';
import { rateSince } from '../../src/shared/progress-rate';

describe('rate and time left of a job', () => {
  it('counts only the work done since the first sample (a resumed job starts with images already done)', () => {
    // Resumed at 600 of 1000; 40 images in 10 s: 4 images/s, 360 left: 90 s.
    expect(rateSince({ done: 600, at: 0 }, { done: 640, at: 10_000 }, 1000)).toEqual({ ratePerSecond: 4, etaSeconds: 90 });
  });

  it('says nothing until a second has passed and an image was done since', () => {
    expect(rateSince({ done: 600, at: 0 }, { done: 600, at: 0 }, 1000)).toBeNull();
    expect(rateSince({ done: 600, at: 0 }, { done: 620, at: 300 }, 1000)).toBeNull();
    expect(rateSince({ done: 600, at: 0 }, { done: 600, at: 5_000 }, 1000)).toBeNull();
    expect(rateSince({ done: 600, at: 0 }, { done: 601, at: 1_000 }, 1000)).toEqual({ ratePerSecond: 1, etaSeconds: 399 });
  });

  it('has no time left once everything is done', () => {
    expect(rateSince({ done: 0, at: 0 }, { done: 10, at: 2_000 }, 10)).toEqual({ ratePerSecond: 5, etaSeconds: 0 });
  });
});
