/**
 * Exact Shapley values of a game on k players whose value v is known for every coalition
 * (`values[bits]`, bit i set when player i is in): phi_i = sum over S not containing i of
 * |S|! (k - |S| - 1)! / k! (v(S + i) - v(S)). Feasible up to k = 14 or so (16384 coalitions).
 */
export function exactShapley(values: ArrayLike<number>, k: number): Float64Array {
  const weight = new Float64Array(k);
  // |S|! (k - |S| - 1)! / k! for |S| = 0 .. k-1
  for (let s = 0; s < k; s++) weight[s] = 1 / (k * binomial(k - 1, s));
  const phi = new Float64Array(k);
  const total = 1 << k;
  for (let bits = 0; bits < total; bits++) {
    const size = popcount(bits);
    for (let i = 0; i < k; i++) {
      if (bits & (1 << i)) continue;
      phi[i]! += weight[size]! * (values[bits | (1 << i)]! - values[bits]!);
    }
  }
  return phi;
}

export function binomial(n: number, r: number): number {
  if (r < 0 || r > n) return 0;
  let result = 1;
  for (let i = 1; i <= Math.min(r, n - r); i++) result = (result * (n - i + 1)) / i;
  return result;
}

export function popcount(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}
