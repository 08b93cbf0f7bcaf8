/**
 * Solves A x = b for a symmetric positive (semi-)definite n x n matrix (row-major) by Cholesky
 * factorisation. A tiny ridge is added on the diagonal when A is singular (e.g. a feature that is
 * never switched off in the samples), which gives the minimum-norm-like solution regularised
 * methods expect.
 */
export function solveSymmetric(a: Float64Array, b: Float64Array, n: number): Float64Array {
  let jitter = 0;
  for (let attempt = 0; attempt < 8; attempt++) {
    const l = cholesky(a, n, jitter);
    if (l) {
      // Forward then back substitution.
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = b[i]!;
        for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!;
        y[i] = s / l[i * n + i]!;
      }
      const x = new Float64Array(n);
      for (let i = n - 1; i >= 0; i--) {
        let s = y[i]!;
        for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
        x[i] = s / l[i * n + i]!;
      }
      return x;
    }
    let scale = 0;
    for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(a[i * n + i]!));
    jitter = jitter === 0 ? Math.max(scale, 1) * 1e-10 : jitter * 100;
  }
  throw new Error('the normal equations could not be solved');
}

function cholesky(a: Float64Array, n: number, jitter: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]! + (i === j ? jitter : 0);
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j]!;
      }
    }
  }
  return l;
}

/**
 * Weighted ridge regression with an unpenalised intercept (scikit-learn's Ridge with
 * sample_weight): centre X and y by their weighted means, solve (Xc' W Xc + alpha I) b = Xc' W yc,
 * intercept = ybar - xbar' b. Returns coefficients, intercept and the weighted R^2 of the fit.
 */
export function weightedRidge(
  x: ArrayLike<number>[],
  y: ArrayLike<number>,
  weights: ArrayLike<number>,
  columns: number[],
  alpha: number,
): { coefficients: Float64Array; intercept: number; r2: number } {
  const n = y.length;
  const k = columns.length;
  let wsum = 0;
  for (let i = 0; i < n; i++) wsum += weights[i]!;
  const xbar = new Float64Array(k);
  let ybar = 0;
  for (let i = 0; i < n; i++) {
    const wi = weights[i]! / wsum;
    ybar += wi * y[i]!;
    for (let c = 0; c < k; c++) xbar[c]! += wi * x[i]![columns[c]!]!;
  }
  const gram = new Float64Array(k * k);
  const rhs = new Float64Array(k);
  const row = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const wi = weights[i]!;
    for (let c = 0; c < k; c++) row[c] = x[i]![columns[c]!]! - xbar[c]!;
    const yc = y[i]! - ybar;
    for (let a = 0; a < k; a++) {
      rhs[a]! += wi * row[a]! * yc;
      for (let b = 0; b <= a; b++) gram[a * k + b]! += wi * row[a]! * row[b]!;
    }
  }
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < a; b++) gram[b * k + a] = gram[a * k + b]!;
    gram[a * k + a]! += alpha;
  }
  const coefficients = k > 0 ? solveSymmetric(gram, rhs, k) : new Float64Array(0);
  let intercept = ybar;
  for (let c = 0; c < k; c++) intercept -= xbar[c]! * coefficients[c]!;
  let residual = 0;
  let variance = 0;
  for (let i = 0; i < n; i++) {
    let prediction = intercept;
    for (let c = 0; c < k; c++) prediction += coefficients[c]! * x[i]![columns[c]!]!;
    residual += weights[i]! * (y[i]! - prediction) ** 2;
    variance += weights[i]! * (y[i]! - ybar) ** 2;
  }
  return { coefficients, intercept, r2: variance > 0 ? 1 - residual / variance : 1 };
}
