import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gaussLegendre, pathPoints } from '../../../../src/main/engine/methods/step-rules';

const numpy = JSON.parse(readFileSync(new URL('../../../fixtures/numeric/leggauss.json', import.meta.url), 'utf8')) as Record<string, { nodes: number[]; weights: number[] }>;

describe('Gauss-Legendre quadrature', () => {
  it.each(Object.keys(numpy))('n = %s matches numpy.polynomial.legendre.leggauss', (n) => {
    const { nodes, weights } = gaussLegendre(Number(n));
    numpy[n]!.nodes.forEach((v, i) => expect(nodes[i]).toBeCloseTo(v, 12));
    numpy[n]!.weights.forEach((v, i) => expect(weights[i]).toBeCloseTo(v, 12));
  });

  it('integrates polynomials of degree 2n - 1 exactly', () => {
    const { alphas, weights } = pathPoints('gauss-legendre', 4);
    // integral over [0, 1] of t^7 = 1/8
    expect(alphas.reduce((s, a, i) => s + weights[i]! * a ** 7, 0)).toBeCloseTo(1 / 8, 12);
  });
});

describe("Riemann rules as Captum defines them", () => {
  it('left, right, middle: n equal weights 1/n', () => {
    expect(pathPoints('riemann-left', 4)).toEqual({ alphas: [0, 0.25, 0.5, 0.75], weights: [0.25, 0.25, 0.25, 0.25] });
    const right = pathPoints('riemann-right', 4);
    right.alphas.forEach((a, i) => expect(a).toBeCloseTo([0.25, 0.5, 0.75, 1][i]!, 12));
    const middle = pathPoints('riemann-middle', 4);
    middle.alphas.forEach((a, i) => expect(a).toBeCloseTo([0.125, 0.375, 0.625, 0.875][i]!, 12));
  });

  it('trapezoid: linspace(0, 1, n) with 1/n weights halved at the ends (Captum sums to (n-1)/n)', () => {
    const { alphas, weights } = pathPoints('riemann-trapezoid', 5);
    expect(alphas).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(weights).toEqual([0.1, 0.2, 0.2, 0.2, 0.1]);
  });

  it('linspace (PAIR saliency): linspace(0, 1, n), every point weighing 1/n', () => {
    const { alphas, weights } = pathPoints('linspace', 5);
    expect(alphas).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(weights).toEqual([0.2, 0.2, 0.2, 0.2, 0.2]);
  });
});
