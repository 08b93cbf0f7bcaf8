import type { z } from 'zod';
import type { StepRuleParam } from '../../../shared/methods/common-params';

export type StepRule = z.output<typeof StepRuleParam>;

/** Points alpha in [0, 1] on the path and their weights, exactly as Captum (or PAIR saliency, linspace) defines each rule. */
export function pathPoints(rule: StepRule, n: number): { alphas: number[]; weights: number[] } {
  if (rule === 'gauss-legendre') {
    const { nodes, weights } = gaussLegendre(n);
    return { alphas: nodes.map((x) => 0.5 * (1 + x)), weights: weights.map((w) => 0.5 * w) };
  }
  const linspace = (a: number, b: number): number[] => Array.from({ length: n }, (_, i) => (n === 1 ? a : a + ((b - a) * i) / (n - 1)));
  const weights = new Array<number>(n).fill(1 / n);
  switch (rule) {
    case 'riemann-left':
      return { alphas: linspace(0, 1 - 1 / n), weights };
    case 'riemann-right':
      return { alphas: linspace(1 / n, 1), weights };
    case 'riemann-middle':
      return { alphas: linspace(1 / (2 * n), 1 - 1 / (2 * n)), weights };
    case 'linspace':
      // PAIR saliency: both ends included, each point weighing 1/n.
      return { alphas: linspace(0, 1), weights };
    case 'riemann-trapezoid':
      // Captum's trapezoid: n points from 0 to 1 with weights 1/n, halved at both ends.
      weights[0] = weights[0]! / 2;
      weights[n - 1] = weights[n - 1]! / 2;
      return { alphas: linspace(0, 1), weights };
  }
}

/**
 * Gauss-Legendre nodes and weights on [-1, 1] (what numpy.polynomial.legendre.leggauss returns),
 * by Newton's method on the Legendre polynomial from the Chebyshev initial guesses.
 */
export function gaussLegendre(n: number): { nodes: number[]; weights: number[] } {
  const nodes = new Array<number>(n);
  const weights = new Array<number>(n);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let derivative = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      // P_n(x) and P_n'(x) by the three-term recurrence.
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      const pn = n === 1 ? x : p1;
      const pPrev = n === 1 ? 1 : p0;
      derivative = (n * (x * pn - pPrev)) / (x * x - 1);
      const dx = pn / derivative;
      x -= dx;
      if (Math.abs(dx) < 1e-15) break;
    }
    const w = 2 / ((1 - x * x) * derivative * derivative);
    // Ascending order, as numpy returns them.
    nodes[i] = -x;
    nodes[n - 1 - i] = x;
    weights[i] = w;
    weights[n - 1 - i] = w;
  }
  return { nodes, weights };
}
