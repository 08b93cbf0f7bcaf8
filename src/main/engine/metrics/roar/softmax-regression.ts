import { LumenError } from '../../../../shared/errors';

export interface SoftmaxRegression {
  /** weights[k * (d + 1) + j]; j = d is the bias. */
  weights: Float64Array;
  classes: number;
  dims: number;
  /** Per-feature standardisation learned on the training set. */
  mean: Float64Array;
  scale: Float64Array;
}

/**
 * A multinomial logistic regression (a new linear classification head) trained on standardised
 * features by full-batch Adam on the mean cross-entropy plus L2 (bias not penalised), from zero
 * weights: deterministic, and the convex problem converges to the same optimum whatever the
 * order of the data. ROAR retrains a model's head this way on frozen features.
 */
export function trainSoftmaxRegression(
  features: Float32Array[],
  labels: number[],
  classes: number,
  options: { l2?: number; iterations?: number; learningRate?: number } = {},
): SoftmaxRegression {
  const n = features.length;
  if (n === 0 || labels.length !== n) throw new LumenError('invalid-argument', `Training needs one label per feature vector (got ${n} vectors and ${labels.length} labels).`);
  const d = features[0]!.length;
  const l2 = options.l2 ?? 1e-3;
  const iterations = options.iterations ?? 300;
  const lr = options.learningRate ?? 0.05;
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (const f of features) for (let j = 0; j < d; j++) mean[j]! += f[j]! / n;
  for (const f of features) for (let j = 0; j < d; j++) scale[j]! += (f[j]! - mean[j]!) ** 2 / n;
  for (let j = 0; j < d; j++) scale[j] = scale[j]! > 1e-12 ? 1 / Math.sqrt(scale[j]!) : 0;
  const x = features.map((f) => Float64Array.from({ length: d + 1 }, (_, j) => (j === d ? 1 : (f[j]! - mean[j]!) * scale[j]!)));
  const stride = d + 1;
  const w = new Float64Array(classes * stride);
  const m = new Float64Array(w.length);
  const v = new Float64Array(w.length);
  const grad = new Float64Array(w.length);
  const logits = new Float64Array(classes);
  for (let t = 1; t <= iterations; t++) {
    grad.fill(0);
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      let max = -Infinity;
      for (let k = 0; k < classes; k++) {
        let z = 0;
        for (let j = 0; j < stride; j++) z += w[k * stride + j]! * xi[j]!;
        logits[k] = z;
        max = Math.max(max, z);
      }
      let total = 0;
      for (let k = 0; k < classes; k++) total += (logits[k] = Math.exp(logits[k]! - max));
      for (let k = 0; k < classes; k++) {
        const g = (logits[k]! / total - (labels[i] === k ? 1 : 0)) / n;
        for (let j = 0; j < stride; j++) grad[k * stride + j]! += g * xi[j]!;
      }
    }
    for (let k = 0; k < classes; k++) for (let j = 0; j < d; j++) grad[k * stride + j]! += l2 * w[k * stride + j]!;
    for (let p = 0; p < w.length; p++) {
      m[p] = 0.9 * m[p]! + 0.1 * grad[p]!;
      v[p] = 0.999 * v[p]! + 0.001 * grad[p]! ** 2;
      w[p]! -= (lr * (m[p]! / (1 - 0.9 ** t))) / (Math.sqrt(v[p]! / (1 - 0.999 ** t)) + 1e-8);
    }
  }
  return { weights: w, classes, dims: d, mean, scale };
}

/** The predicted class of each feature vector. */
export function predictSoftmaxRegression(model: SoftmaxRegression, features: Float32Array[]): number[] {
  const { weights: w, classes, dims: d, mean, scale } = model;
  return features.map((f) => {
    let best = 0;
    let bestScore = -Infinity;
    for (let k = 0; k < classes; k++) {
      let z = w[k * (d + 1) + d]!;
      for (let j = 0; j < d; j++) z += w[k * (d + 1) + j]! * (f[j]! - mean[j]!) * scale[j]!;
      if (z > bestScore) {
        bestScore = z;
        best = k;
      }
    }
    return best;
  });
}
