import type { OutputKind } from '../../../shared/model-card';

/** Numerically stable softmax (the max is subtracted before exponentiating). */
export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    out[i] = Math.exp(logits[i]! - max);
    sum += out[i]!;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

export function sigmoid(logits: ArrayLike<number>): Float64Array {
  const out = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) out[i] = 1 / (1 + Math.exp(-logits[i]!));
  return out;
}

/** Class probabilities from the model's output, according to what the card says it holds. */
export function probabilities(scores: ArrayLike<number>, kind: OutputKind): Float64Array {
  switch (kind) {
    case 'logits':
      return softmax(scores);
    case 'multilabel-logits':
      return sigmoid(scores);
    case 'probabilities':
    case 'multilabel-probabilities':
      return Float64Array.from(scores as ArrayLike<number>);
  }
}

/** Indices of the k largest values, largest first; ties keep the lower index first. */
export function topK(values: ArrayLike<number>, k: number): number[] {
  const n = values.length;
  const indices = Array.from({ length: n }, (_, i) => i);
  indices.sort((i, j) => values[j]! - values[i]! || i - j);
  return indices.slice(0, Math.min(k, n));
}
