import { windowFunction, type WindowSpec } from '../../../../shared/windowing/voi-window';

/**
 * Writes one channel of modality values through a VOI window into 8-bit gray RGBA for a canvas
 * (MONOCHROME1 turned round, so bright means high). Runs on every pointer move of a drag, so the
 * linear functions are written out here with their constants hoisted; the arithmetic is the
 * shared voi-window.ts's (render-window.test.ts checks it against windowFunction).
 */
export function renderWindow(values: Float32Array, window: WindowSpec, monochrome1: boolean, rgba: Uint8ClampedArray): void {
  const fn = window.fn ?? 'LINEAR';
  let gray: (x: number) => number;
  if (fn === 'SIGMOID') {
    const f = windowFunction(window);
    gray = (x) => 255 * f(x);
  } else {
    // LINEAR: (x - (c - 0.5)) / (w - 1) + 0.5 between c - 0.5 -/+ (w - 1) / 2; LINEAR_EXACT: (x - c) / w + 0.5.
    const linear = fn === 'LINEAR';
    const width = linear ? Math.max(1, window.width) : window.width;
    const c = linear ? window.center - 0.5 : window.center;
    const w = linear ? width - 1 : width;
    const low = c - w / 2;
    const high = c + w / 2;
    const slope = w > 0 ? 255 / w : 0;
    const offset = 127.5 - c * slope;
    gray = linear ? (x) => (x <= low ? 0 : x > high ? 255 : x * slope + offset) : (x) => (x <= low ? 0 : x >= high ? 255 : x * slope + offset);
  }
  for (let i = 0, j = 0; i < values.length; i++, j += 4) {
    const g = gray(values[i]!);
    const v = monochrome1 ? 255 - g : g;
    rgba[j] = v;
    rgba[j + 1] = v;
    rgba[j + 2] = v;
    rgba[j + 3] = 255;
  }
}
