/**
 * The q-quantile of `values` with NumPy's "lower" rule (the element at index floor(q (n - 1)) of
 * the sorted values), found by quickselect in linear time; `values` is reordered.
 */
export function quantileLower(values: Float64Array, q: number): number {
  return kthSmallest(values, Math.floor(q * (values.length - 1)));
}

/**
 * The value of rank `k` (0-based) in ascending order, by quickselect (Hoare partition): linear on
 * average, where a sort is not (ViT-B's 197 x 197 attention entries per block). Reorders `values`.
 */
export function kthSmallest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    // Median of three as the pivot keeps sorted and constant inputs linear.
    const mid = (lo + hi) >> 1;
    const [a, b, c] = [values[lo]!, values[mid]!, values[hi]!];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k]!;
  }
  return values[k]!;
}
