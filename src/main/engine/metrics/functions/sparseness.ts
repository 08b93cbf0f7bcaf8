import { LumenError } from '../../../../shared/errors';

/**
 * Sparseness of an attribution map: the Gini index of its absolute values, as Quantus `Sparseness`
 * computes it (Chalasani et al. 2020, "Concise explanations of neural networks using adversarial
 * training"; Quantus quantus/metrics/complexity/sparseness.py, which follows the authors' code).
 *
 * With |a| sorted ascending as a_1 <= ... <= a_n:
 *
 *   Gini = sum_i (2i - n - 1) a_i / (n * sum_i a_i),   i = 1..n
 *
 * It is 0 for a constant map and 1 - 1/n for a one-hot map; higher means sparser. The value does not
 * depend on the scale of the map, so Quantus's default normalise-by-max changes nothing.
 *
 * Quantus adds 1e-7 to every (normalised) value before sorting, which keeps the denominator off zero
 * and shifts scores by at most about 1e-7 relative; we compute the exact index instead. The all-zero
 * map, where the formula is 0/0, is defined as 0, the value of a constant map and what Quantus returns
 * for it through its shift: a map with no attribution is not sparse, it explains nothing, so it gets
 * the worst score rather than the best.
 */
export function sparseness(map: ArrayLike<number>): number {
  const n = map.length;
  if (n === 0) {
    throw new LumenError('invalid-argument', 'Sparseness needs a map with at least one value; the map is empty.', 'Pass the attribution map of an image.');
  }
  const values = new Float64Array(n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    const v = map[i]!;
    if (!Number.isFinite(v)) {
      throw new LumenError('invalid-argument', `Sparseness: the map holds ${Number.isNaN(v) ? 'NaN' : 'an infinite value'} at element ${i}.`, 'Metrics need finite attribution values; recompute or clean the map.');
    }
    const abs = Math.abs(v);
    values[i] = abs;
    if (abs > max) max = abs;
  }
  if (max === 0) return 0;
  // Dividing by the maximum first keeps the sum finite for huge values; the index is scale-free.
  for (let i = 0; i < n; i++) values[i] = values[i]! / max;
  values.sort();
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    total += v;
    weighted += (2 * (i + 1) - n - 1) * v;
  }
  return weighted / (n * total);
}
