import { describe, expect, it } from 'vitest';
import { kernelShapCoalitions, solveKernelShap } from '../../../../src/main/engine/methods/perturbation/kernel-shap-core';
import { exactShapley } from '../../../../src/main/engine/methods/perturbation/shapley';
import { Rng } from '../../../../src/main/engine/random/rng';

/** A game with interactions: v(S) = sum_{i in S} a_i + b * [0 and 1 in S] + c * [|S| >= 3]. */
function game(k: number): (z: ArrayLike<number>) => number {
  const a = Array.from({ length: k }, (_, i) => Math.sin(i + 1));
  return (z) => {
    let v = 0;
    let size = 0;
    for (let i = 0; i < k; i++) {
      v += z[i]! * a[i]!;
      size += z[i]!;
    }
    if (z[0] && z[1]) v += 0.7;
    if (size >= 3) v -= 0.4;
    return v;
  };
}

function allValues(k: number, v: (z: ArrayLike<number>) => number): Float64Array {
  return Float64Array.from({ length: 1 << k }, (_, bits) => v(Array.from({ length: k }, (_, i) => (bits >> i) & 1)));
}

describe('exact Shapley values', () => {
  it('are the weights of an additive game', () => {
    const values = allValues(4, (z) => 2 * z[0]! - z[1]! + 0.5 * z[3]!);
    expect([...exactShapley(values, 4)].map((v) => +v.toFixed(12))).toEqual([2, -1, 0, 0.5]);
  });

  it('split an interaction equally and satisfy efficiency, symmetry and the dummy axiom', () => {
    const values = allValues(3, (z) => (z[0] && z[1] ? 1 : 0));
    const phi = exactShapley(values, 3);
    expect(phi[0]).toBeCloseTo(0.5, 12);
    expect(phi[1]).toBeCloseTo(0.5, 12);
    expect(phi[2]).toBeCloseTo(0, 12);
  });
});

describe('KernelSHAP', () => {
  it('is exact when every coalition is enumerated', () => {
    const k = 6;
    const v = game(k);
    const coalitions = kernelShapCoalitions(k, 2 ** k, new Rng(1));
    const phi = solveKernelShap(coalitions, coalitions.map((c) => v(c.z)), v(new Array(k).fill(0)), v(new Array(k).fill(1)), k);
    const exact = exactShapley(allValues(k, v), k);
    exact.forEach((e, i) => expect(phi[i]).toBeCloseTo(e, 8));
  });

  it('satisfies efficiency exactly and converges to the exact values as samples grow', () => {
    const k = 12;
    const v = game(k);
    const exact = exactShapley(allValues(k, v), k);
    const none = v(new Array(k).fill(0));
    const all = v(new Array(k).fill(1));
    const errors = [64, 256, 1024].map((budget) => {
      const coalitions = kernelShapCoalitions(k, budget, new Rng(budget));
      const phi = solveKernelShap(coalitions, coalitions.map((c) => v(c.z)), none, all, k);
      expect(phi.reduce((a, b) => a + b, 0)).toBeCloseTo(all - none, 10);
      return Math.sqrt(exact.reduce((s, e, i) => s + (e - phi[i]!) ** 2, 0));
    });
    expect(errors[2]!).toBeLessThan(errors[0]!);
    expect(errors[2]!).toBeLessThan(0.05);
  });

  it('pairs each random coalition with its complement and enumerates small sizes first', () => {
    const coalitions = kernelShapCoalitions(10, 100, new Rng(3));
    const sizes = coalitions.map((c) => c.z.reduce((a, b) => a + b, 0));
    // Size 1 and 9 (20 coalitions) fit in the budget and are enumerated first.
    expect(sizes.slice(0, 20).sort((a, b) => a - b)).toEqual([...new Array(10).fill(1), ...new Array(10).fill(9)]);
    const total = coalitions.reduce((s, c) => s + c.weight, 0);
    expect(total).toBeCloseTo(1, 10);
  });
});
