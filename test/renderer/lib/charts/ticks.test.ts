import { describe, expect, it } from 'vitest';
import { categoricalTicks, formatTick, formatValue, logTicks, niceNumber, niceTicks } from '../../../../src/renderer/src/lib/charts/ticks';

describe('niceNumber', () => {
  it('rounds to 1, 2, 5 times a power of ten', () => {
    expect(niceNumber(0.23, true)).toBe(0.2);
    expect(niceNumber(0.23, false)).toBe(0.5);
    expect(niceNumber(7.5, true)).toBe(10);
    expect(niceNumber(1300, false)).toBe(2000);
    expect(niceNumber(0, true)).toBe(1);
  });
});

describe('niceTicks', () => {
  it('covers [0, 1] with steps of 0.2', () => {
    expect(niceTicks(0, 1)).toEqual({ min: 0, max: 1, step: 0.2, values: [0, 0.2, 0.4, 0.6, 0.8, 1] });
  });

  it('widens the domain to whole steps and avoids floating-point noise', () => {
    const t = niceTicks(0.013, 0.97);
    expect(t.min).toBe(0);
    expect(t.max).toBe(1);
    expect(niceTicks(0.1, 0.7, 6).values).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(niceTicks(0.1, 0.7, 3).values).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(-3.2, 7.9).values).toEqual([-4, -2, 0, 2, 4, 6, 8]);
  });

  it('keeps ticks inside the range when not nice', () => {
    const t = niceTicks(0.013, 0.97, 5, false);
    expect(t.min).toBe(0.013);
    expect(t.max).toBe(0.97);
    expect(t.values).toEqual([0.2, 0.4, 0.6, 0.8]);
  });

  it('handles a single value, reversed and non-finite ranges', () => {
    expect(niceTicks(5, 5).values).toEqual([4.4, 4.6, 4.8, 5, 5.2, 5.4, 5.6]);
    expect(niceTicks(0, 0).values).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(niceTicks(1, 0)).toEqual(niceTicks(0, 1));
    expect(niceTicks(NaN, Infinity)).toEqual(niceTicks(0, 1));
  });

  it('handles large and tiny ranges', () => {
    expect(niceTicks(0, 199).values).toEqual([0, 50, 100, 150, 200]);
    expect(niceTicks(1e-6, 4e-6).values).toEqual([1e-6, 1.5e-6, 2e-6, 2.5e-6, 3e-6, 3.5e-6, 4e-6]);
  });
});

describe('logTicks', () => {
  it('gives decades, with 2 and 5 (or 3) between over a short span', () => {
    // Sensitivity-n's default fractions, 0.001 to 0.8.
    expect(logTicks(0.001, 0.8)).toEqual({ min: 0.001, max: 1, step: 10, values: [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1] });
    expect(logTicks(10, 1e7).values).toEqual([10, 100, 1000, 1e4, 1e5, 1e6, 1e7]);
    expect(logTicks(3, 70).values).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(logTicks(1, 1e12).values.length).toBeLessThanOrEqual(10);
  });
});

describe('categoricalTicks', () => {
  it('keeps all labels when they fit, and the first and last otherwise', () => {
    expect(categoricalTicks(5, 8)).toEqual([0, 1, 2, 3, 4]);
    const many = categoricalTicks(50, 8);
    expect(many[0]).toBe(0);
    expect(many.at(-1)).toBe(49);
    expect(many.length).toBeLessThanOrEqual(8);
    expect(categoricalTicks(0)).toEqual([]);
  });
});

describe('formatTick and formatValue', () => {
  it('prints as many decimals as the step needs', () => {
    expect(formatTick(0.2, 0.2)).toBe('0.2');
    expect(formatTick(0.25, 0.05)).toBe('0.25');
    expect(formatTick(1, 0.2)).toBe('1');
    expect(formatTick(150, 50)).toBe('150');
    expect(formatTick(-2, 1)).toBe('\u22122');
    expect(formatTick(25_000, 5000)).toBe('25\u2009000');
    expect(formatTick(2e6, 1e6)).toBe('2e6');
    expect(formatTick(2.5e-4, 5e-5)).toBe('2.5e-4');
  });

  it('prints values with four significant digits', () => {
    expect(formatValue(0.123456)).toBe('0.1235');
    expect(formatValue(12345.6)).toBe('12350');
    expect(formatValue(3e-5)).toBe('3.00e-5');
    expect(formatValue(NaN)).toBe('NaN');
  });
});
