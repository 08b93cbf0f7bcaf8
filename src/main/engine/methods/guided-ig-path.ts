import { quantileLower } from './quantile';

/** Floating-point tolerance of "the L1 distance has reached its target" (PAIR saliency's EPSILON). */
const tolerance = 1e-9;

export interface GuidedIgOptions {
  steps: number;
  fraction: number;
  maxDist: number;
}

/**
 * The Guided IG path integral (Kapishnikov et al. 2021), as PAIR saliency defines the algorithm:
 * the path starts at the baseline; at each step the L1 distance to the input shrinks by 1/steps,
 * by moving first the features with the smallest absolute gradient (a `fraction` at a time) while
 * no feature lags or leads the straight line by more than `maxDist` (relative position).
 * Attributions accumulate gradient x displacement. `gradientAt` returns the gradient at a point.
 */
export async function guidedIgPath(
  input: ArrayLike<number>,
  baseline: ArrayLike<number>,
  gradientAt: (x: Float64Array) => Promise<ArrayLike<number>>,
  options: GuidedIgOptions,
): Promise<Float64Array> {
  const n = input.length;
  const x = Float64Array.from(baseline);
  const attr = new Float64Array(n);
  const diff = Float64Array.from(input, (v, i) => v - baseline[i]!);
  let l1Total = 0;
  for (let i = 0; i < n; i++) l1Total += Math.abs(diff[i]!);
  if (l1Total === 0) return attr;
  const xMin = new Float64Array(n);
  const xMax = new Float64Array(n);
  const grad = new Float64Array(n);
  const magnitudes = new Float64Array(n);
  const xOld = new Float64Array(n);
  const selected = new Uint8Array(n);
  for (let step = 0; step < options.steps; step++) {
    const actual = await gradientAt(x);
    for (let i = 0; i < n; i++) grad[i] = actual[i]!;
    const alpha = (step + 1) / options.steps;
    const alphaMin = Math.max(alpha - options.maxDist, 0);
    const alphaMax = Math.min(alpha + options.maxDist, 1);
    for (let i = 0; i < n; i++) {
      xMin[i] = baseline[i]! + diff[i]! * alphaMin;
      xMax[i] = baseline[i]! + diff[i]! * alphaMax;
    }
    const l1Target = l1Total * (1 - (step + 1) / options.steps);
    let gamma = Infinity;
    while (gamma > 1) {
      xOld.set(x);
      // Features that fell behind the allowed band move up to its lower edge.
      let l1Current = 0;
      for (let i = 0; i < n; i++) {
        const position = diff[i] !== 0 ? (x[i]! - baseline[i]!) / diff[i]! : alphaMax;
        if (position < alphaMin) x[i] = xMin[i]!;
        l1Current += Math.abs(x[i]! - input[i]!);
      }
      if (Math.abs(l1Target - l1Current) <= Math.max(tolerance * Math.max(Math.abs(l1Target), Math.abs(l1Current)), tolerance)) {
        for (let i = 0; i < n; i++) attr[i]! += (x[i]! - xOld[i]!) * actual[i]!;
        break;
      }
      // Features already at the band's upper edge cannot move further this step.
      for (let i = 0; i < n; i++) {
        if (x[i] === xMax[i]) grad[i] = Infinity;
        magnitudes[i] = Math.abs(grad[i]!);
      }
      const threshold = quantileLower(magnitudes, options.fraction);
      let l1Selected = 0;
      for (let i = 0; i < n; i++) {
        selected[i] = Math.abs(grad[i]!) <= threshold && grad[i] !== Infinity ? 1 : 0;
        if (selected[i]) l1Selected += Math.abs(x[i]! - xMax[i]!);
      }
      // How far the selected features must go towards the band's upper edge to reach the target.
      gamma = l1Selected > 0 ? (l1Current - l1Target) / l1Selected : Infinity;
      for (let i = 0; i < n; i++) if (selected[i]) x[i] = gamma > 1 ? xMax[i]! : x[i]! + (xMax[i]! - x[i]!) * gamma;
      for (let i = 0; i < n; i++) attr[i]! += (x[i]! - xOld[i]!) * actual[i]!;
    }
  }
  return attr;
}
