import { LumenError } from '../../../../shared/errors';

/**
 * Complexity of an attribution map: the Shannon entropy (natural log) of the fractional contribution
 * of each element, p_i = |a_i| / sum_j |a_j| (Bhatt et al. 2020, "Evaluating and aggregating
 * feature-based model explanations"). This is Quantus `Complexity`
 * (quantus/metrics/complexity/complexity.py): it divides the map by the sum of its absolute values and
 * calls scipy.stats.entropy(pk), i.e. -sum_i p_i ln p_i with 0 ln 0 = 0. Quantus takes absolute values
 * first by default (abs=True), which is what we do.
 *
 * It is 0 for a one-hot map and ln n for a constant map; lower means a simpler explanation.
 *
 * The all-zero map has no distribution (Quantus and scipy give NaN). We define it as ln n, the limit
 * of a constant map as it shrinks to zero and the maximum possible value: like `sparseness`, which
 * gives it 0, a map with no attribution gets the worst score, never the best.
 */
export function complexity(map: ArrayLike<number>): number {
  const n = map.length;
  if (n === 0) {
    throw new LumenError('invalid-argument', 'Complexity needs a map with at least one value; the map is empty.', 'Pass the attribution map of an image.');
  }
  let max = 0;
  for (let i = 0; i < n; i++) {
    const v = map[i]!;
    if (!Number.isFinite(v)) {
      throw new LumenError('invalid-argument', `Complexity: the map holds ${Number.isNaN(v) ? 'NaN' : 'an infinite value'} at element ${i}.`, 'Metrics need finite attribution values; recompute or clean the map.');
    }
    const abs = Math.abs(v);
    if (abs > max) max = abs;
  }
  if (max === 0) return Math.log(n);
  // Scale by the maximum first so the sum cannot overflow; the fractions are unchanged.
  let total = 0;
  for (let i = 0; i < n; i++) total += Math.abs(map[i]!) / max;
  let entropy = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.abs(map[i]!) / max / total;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return entropy;
}
