/**
 * The VOI window of DICOM PS3.3 C.11.2.1.2: modality values (after Rescale Slope/Intercept) to
 * [0, 1], the fraction of the display's range. Shared by the engine (what a card feeds the model)
 * and the renderer (what the inspector shows), so both use the same arithmetic.
 */

/** The window functions of VOI LUT Function (0028,1056); LINEAR when the tag is absent. */
export type VoiFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

export interface WindowSpec {
  center: number;
  width: number;
  fn?: VoiFunction;
}

/**
 * A function that maps one modality value to [0, 1] under the window. LINEAR is the standard's
 * formula with its half-pixel shifts (for width 1 it is a threshold at centre - 0.5):
 *   x <= c - 0.5 - (w-1)/2  -> 0
 *   x >  c - 0.5 + (w-1)/2  -> 1
 *   else ((x - (c - 0.5)) / (w - 1) + 0.5)
 * LINEAR_EXACT is (x - c) / w + 0.5 clipped to [0, 1]; SIGMOID is 1 / (1 + exp(-4 (x - c) / w)).
 */
export function windowFunction({ center: c, width: w, fn = 'LINEAR' }: WindowSpec): (x: number) => number {
  switch (fn) {
    case 'LINEAR': {
      const width = Math.max(1, w);
      const low = c - 0.5 - (width - 1) / 2;
      const high = c - 0.5 + (width - 1) / 2;
      if (width === 1) return (x) => (x <= low ? 0 : 1);
      return (x) => (x <= low ? 0 : x > high ? 1 : (x - (c - 0.5)) / (width - 1) + 0.5);
    }
    case 'LINEAR_EXACT': {
      const width = Math.max(Number.MIN_VALUE, w);
      return (x) => Math.min(1, Math.max(0, (x - c) / width + 0.5));
    }
    case 'SIGMOID': {
      const width = Math.max(Number.MIN_VALUE, w);
      return (x) => 1 / (1 + Math.exp((-4 * (x - c)) / width));
    }
  }
}

/** The full-range window of values from `min` to `max`: the fallback when a file has no window. */
export function fullRangeWindow(min: number, max: number): WindowSpec {
  // LINEAR maps [c - 0.5 - (w-1)/2, c - 0.5 + (w-1)/2] to [0, 1]; choose c and w so that is [min, max].
  const width = Math.max(1, max - min + 1);
  return { center: min + 0.5 + (width - 1) / 2, width, fn: 'LINEAR' };
}

/**
 * Windows `values` (one channel) into [0, 1], then inverts when the photometric interpretation is
 * MONOCHROME1 (where the smallest value is white): the result is always "bright means high", as
 * a viewer shows it.
 */
export function windowValues(values: ArrayLike<number>, window: WindowSpec, monochrome1: boolean): Float32Array {
  const f = windowFunction(window);
  const out = new Float32Array(values.length);
  if (monochrome1) for (let i = 0; i < values.length; i++) out[i] = 1 - f(values[i]!);
  else for (let i = 0; i < values.length; i++) out[i] = f(values[i]!);
  return out;
}
