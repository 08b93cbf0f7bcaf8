import { describe, expect, it } from 'vitest';
import { completenessRun, formatCompleteness } from '../../../src/shared/methods/completeness-display';

describe('formatCompleteness', () => {
  it('shows the error relative to f(x) − f(baseline), with the raw figures after it', () => {
    // 1.38 of 43.125 is 3.2 %: within the 5 % tolerance, so no hint.
    const d = formatCompleteness({ completenessError: 1.38, outputDifference: 43.125 }, { steps: 64 })!;
    expect(d.share).toBeCloseTo(1.38 / 43.125, 12);
    expect(d.text).toBe('3.2 % of f(x) − f(baseline) (error 1.38 of 43.1)');
    expect(d.short).toBe('3.2 % of f(x) − f(baseline)');
    expect(d.tooLarge).toBe(false);
    expect(d.hint).toBeNull();
  });

  it('says to raise the steps above 5 %, naming the steps and rule used', () => {
    const d = formatCompleteness({ completenessError: -1.38, outputDifference: 2.76 }, { steps: 16, stepRule: 'riemann-left' })!;
    expect(d.text).toBe('50 % of f(x) − f(baseline) (error -1.38 of 2.76)');
    expect(d.tooLarge).toBe(true);
    expect(d.hint).toBe('raise the steps: use more steps (16 now; try 64) or the gauss-legendre step rule');
    // Exactly at the tolerance it is not a warning.
    expect(formatCompleteness({ completenessError: 0.05, outputDifference: 1 })!.tooLarge).toBe(false);
  });

  it('has no scale when f(x) − f(baseline) is ~0 or missing, and nothing for other methods', () => {
    expect(formatCompleteness({ completenessError: 0.5, outputDifference: 0 })).toEqual({ share: null, text: 'error 0.500 (f(x) − f(baseline) ≈ 0, so no scale)', short: 'error 0.500 (no scale)', tooLarge: false, hint: null });
    expect(formatCompleteness({ completenessError: 0.5 })!.text).toBe('error 0.500 (f(x) − f(baseline) unknown)');
    expect(formatCompleteness({})).toBeNull();
    expect(formatCompleteness({ completenessError: Number.NaN, outputDifference: 1 })).toBeNull();
  });

  it('reads only well-typed run settings', () => {
    expect(completenessRun({ steps: 32, stepRule: 'gauss-legendre' })).toEqual({ steps: 32, stepRule: 'gauss-legendre' });
    expect(completenessRun({ steps: '32', stepRule: 3 })).toEqual({});
  });
});
