import { weightedRidge } from '../../linalg/solve';
import type { Rng } from '../../random/rng';

export type FeatureSelection = 'auto' | 'forward-selection' | 'highest-weights' | 'lasso-path' | 'none';

/** LIME's samples for images: the first keeps every segment, the others each segment with probability 1/2. */
export function limeSamples(k: number, n: number, rng: Rng): Uint8Array[] {
  return Array.from({ length: n }, (_, r) => (r === 0 ? new Uint8Array(k).fill(1) : Uint8Array.from({ length: k }, () => (rng.uniform() < 0.5 ? 1 : 0))));
}

/**
 * LIME's sample weights: cosine distance of each sample to the all-ones sample, through the
 * exponential kernel sqrt(exp(-d^2 / width^2)) (lime_image: width 0.25). An empty sample is at
 * distance 1.
 */
export function limeWeights(samples: Uint8Array[], kernelWidth: number): Float64Array {
  return Float64Array.from(samples, (z) => {
    const kept = z.reduce((a, b) => a + b, 0);
    const distance = kept === 0 ? 1 : 1 - kept / (Math.sqrt(kept) * Math.sqrt(z.length));
    return Math.sqrt(Math.exp(-(distance * distance) / (kernelWidth * kernelWidth)));
  });
}

/** Which features the explanation keeps, by LIME's rules. */
export function selectFeatures(x: Uint8Array[], y: ArrayLike<number>, w: ArrayLike<number>, count: number, method: FeatureSelection): number[] {
  const k = x[0]?.length ?? 0;
  const all = Array.from({ length: k }, (_, i) => i);
  if (method === 'none' || count >= k) return all;
  if (method === 'auto') return selectFeatures(x, y, w, count, count <= 6 ? 'forward-selection' : 'highest-weights');
  if (method === 'highest-weights') {
    const fit = weightedRidge(x, y, w, all, 0.01);
    return all.sort((a, b) => Math.abs(fit.coefficients[b]!) - Math.abs(fit.coefficients[a]!) || a - b).slice(0, count);
  }
  if (method === 'forward-selection') {
    const used: number[] = [];
    for (let step = 0; step < count; step++) {
      let best = -1;
      let bestScore = -Infinity;
      for (const f of all) {
        if (used.includes(f)) continue;
        const score = weightedRidge(x, y, w, [...used, f], 0).r2;
        if (score > bestScore) {
          bestScore = score;
          best = f;
        }
      }
      used.push(best);
    }
    return used;
  }
  return lassoPathOrder(x, y, w, count);
}

/**
 * The first `count` features to enter the weighted lasso path (LIME's "lasso_path"), found by
 * coordinate descent on a decreasing grid of penalties over weighted, centred data.
 */
function lassoPathOrder(x: Uint8Array[], y: ArrayLike<number>, w: ArrayLike<number>, count: number): number[] {
  const n = x.length;
  const k = x[0]!.length;
  let wsum = 0;
  for (let i = 0; i < n; i++) wsum += w[i]!;
  const xbar = new Float64Array(k);
  let ybar = 0;
  for (let i = 0; i < n; i++) {
    ybar += (w[i]! * y[i]!) / wsum;
    for (let j = 0; j < k; j++) xbar[j]! += (w[i]! * x[i]![j]!) / wsum;
  }
  const columns = Array.from({ length: k }, (_, j) => Float64Array.from({ length: n }, (_, i) => (x[i]![j]! - xbar[j]!) * Math.sqrt(w[i]!)));
  const target = Float64Array.from({ length: n }, (_, i) => (y[i]! - ybar) * Math.sqrt(w[i]!));
  const norms = columns.map((c) => c.reduce((s, v) => s + v * v, 0));
  const dot = (a: Float64Array, b: Float64Array): number => a.reduce((s, v, i) => s + v * b[i]!, 0);
  const alphaMax = Math.max(...columns.map((c) => Math.abs(dot(c, target))));
  const beta = new Float64Array(k);
  const residual = target.slice();
  const order: number[] = [];
  for (let step = 1; step <= 200 && order.length < count; step++) {
    const alpha = alphaMax * Math.pow(1e-4, step / 200);
    for (let sweep = 0; sweep < 50; sweep++) {
      let change = 0;
      for (let j = 0; j < k; j++) {
        if (norms[j] === 0) continue;
        const c = columns[j]!;
        const rho = dot(c, residual) + norms[j]! * beta[j]!;
        const next = Math.sign(rho) * Math.max(Math.abs(rho) - alpha, 0) / norms[j]!;
        const delta = next - beta[j]!;
        if (delta !== 0) {
          for (let i = 0; i < n; i++) residual[i]! -= delta * c[i]!;
          beta[j] = next;
          change = Math.max(change, Math.abs(delta));
        }
      }
      if (change < 1e-9) break;
    }
    // Features entering at the same penalty are ordered by their coefficient's size.
    const entering = Array.from({ length: k }, (_, j) => j).filter((j) => beta[j] !== 0 && !order.includes(j)).sort((a, b) => Math.abs(beta[b]!) - Math.abs(beta[a]!));
    order.push(...entering);
  }
  return order.slice(0, count);
}

export interface LimeFit {
  weights: Float64Array;
  intercept: number;
  /** Weighted R^2 of the local linear model on the samples (LIME's "score"). */
  r2: number;
  /** The local model's prediction for the unperturbed image. */
  localPrediction: number;
  selected: number[];
}

/** The explanation: ridge (alpha 1, as LIME) on the selected features, weights per segment. */
export function fitLime(x: Uint8Array[], y: ArrayLike<number>, w: ArrayLike<number>, count: number, method: FeatureSelection): LimeFit {
  const selected = selectFeatures(x, y, w, count, method);
  const fit = weightedRidge(x, y, w, selected, 1);
  const weights = new Float64Array(x[0]!.length);
  selected.forEach((f, i) => (weights[f] = fit.coefficients[i]!));
  let localPrediction = fit.intercept;
  for (const f of selected) localPrediction += weights[f]! * x[0]![f]!;
  return { weights, intercept: fit.intercept, r2: fit.r2, localPrediction, selected };
}
