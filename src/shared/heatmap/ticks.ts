/**
 * Tick labels of the colour bar. Attribution values span many orders of magnitude (gradients of
 * 1e-6, occlusion drops of 0.3, logit differences of 12), so labels keep 3 significant digits and
 * switch to scientific notation outside [0.001, 100000) rather than printing "0.00" or long
 * strings of zeros. Negative numbers use the true minus sign (U+2212), which lines up with digits.
 */
import type { DisplayRange } from './normalise';

const MINUS = '\u2212';

export function formatValue(value: number, digits = 3): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : `${MINUS}∞`;
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  let text: string;
  if (magnitude < 1e-3 || magnitude >= 1e5) {
    const [mantissa, exponent] = value.toExponential(digits - 1).split('e') as [string, string];
    text = `${trimZeros(mantissa)}e${Number(exponent)}`;
  } else {
    // toPrecision may itself answer in exponent form (1234.5 -> "1.23e+3"); Number() undoes that.
    text = String(Number(value.toPrecision(digits)));
  }
  return text.replaceAll('-', MINUS);
}

function trimZeros(mantissa: string): string {
  return mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
}

export interface Tick {
  value: number;
  label: string;
  /** 0 at the colour bar's low end, 1 at its high end. */
  position: number;
}

/** Minimum, middle and maximum of the range the colour bar shows. */
export function colorbarTicks(range: Pick<DisplayRange, 'min' | 'max'>): Tick[] {
  const mid = (range.min + range.max) / 2;
  // A symmetric range's middle is exactly 0; rounding of -s + s must not print "1e-17".
  const middle = Math.abs(mid) < 1e-12 * Math.max(Math.abs(range.min), Math.abs(range.max)) ? 0 : mid;
  return [
    { value: range.min, label: formatValue(range.min), position: 0 },
    { value: middle, label: formatValue(middle), position: 0.5 },
    { value: range.max, label: formatValue(range.max), position: 1 },
  ];
}
