import { describe, expect, it } from 'vitest';
import { colorbarTicks, formatValue } from '../../../../src/renderer/src/lib/heatmap/ticks';

describe('formatValue', () => {
  it('keeps 3 significant digits and drops trailing zeros', () => {
    expect(formatValue(0)).toBe('0');
    expect(formatValue(1)).toBe('1');
    expect(formatValue(0.5)).toBe('0.5');
    expect(formatValue(0.123456)).toBe('0.123');
    expect(formatValue(12.3456)).toBe('12.3');
    expect(formatValue(1234.5)).toBe('1230');
    expect(formatValue(0.00123)).toBe('0.00123');
  });

  it('switches to scientific notation for tiny and huge values, with a true minus sign', () => {
    expect(formatValue(0.000123456)).toBe('1.23e\u22124');
    expect(formatValue(2e-7)).toBe('2e\u22127');
    expect(formatValue(-3.456e-5)).toBe('\u22123.46e\u22125');
    expect(formatValue(123456)).toBe('1.23e5');
    expect(formatValue(-0.25)).toBe('\u22120.25');
  });

  it('names non-finite values', () => {
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(Infinity)).toBe('∞');
    expect(formatValue(-Infinity)).toBe('\u2212∞');
  });
});

describe('colorbarTicks', () => {
  it('labels the ends and the middle; a symmetric range has 0 in the middle', () => {
    expect(colorbarTicks({ min: 0, max: 0.004 }).map((t) => t.label)).toEqual(['0', '0.002', '0.004']);
    const signed = colorbarTicks({ min: -0.1 - 0.2, max: 0.1 + 0.2 });
    expect(signed.map((t) => t.label)).toEqual(['\u22120.3', '0', '0.3']);
    expect(signed.map((t) => t.position)).toEqual([0, 0.5, 1]);
  });
});
