import { solveSymmetric } from '../../linalg/solve';
import type { Rng } from '../../random/rng';
import { binomial } from './shapley';

/** A coalition of segments (1 = kept) and its weight in the regression. */
export interface WeightedCoalition {
  z: Uint8Array;
  weight: number;
}

/**
 * Coalitions for KernelSHAP, chosen the way shap's KernelExplainer chooses them. The Shapley
 * kernel gives size s (and its mirror k - s) the total weight (k - 1) / (s (k - s)); sizes are
 * visited from the smallest, and a size (with its mirror) is enumerated completely when the budget,
 * spread in proportion to the remaining weights, would give every coalition of it at least one
 * sample. What is left of the budget is drawn at random from the remaining sizes, each draw with
 * its complement; duplicates add up; the random draws share the remaining kernel weight.
 */
export function kernelShapCoalitions(k: number, budget: number, rng: Rng): WeightedCoalition[] {
  const sizes = Math.ceil((k - 1) / 2);
  const pairedSizes = Math.floor((k - 1) / 2);
  const weight = Array.from({ length: sizes }, (_, i) => ((k - 1) / ((i + 1) * (k - i - 1))) * (i < pairedSizes ? 2 : 1));
  const total = weight.reduce((a, b) => a + b, 0);
  for (let i = 0; i < sizes; i++) weight[i]! /= total;

  const out: WeightedCoalition[] = [];
  let left = budget;
  let full = 0;
  const remaining = [...weight];
  for (let s = 1; s <= sizes; s++) {
    const count = binomial(k, s) * (s <= pairedSizes ? 2 : 1);
    if ((left * remaining[s - 1]!) / count < 1 - 1e-8) break;
    full++;
    left -= count;
    if (remaining[s - 1]! < 1) {
      const rest = 1 - remaining[s - 1]!;
      for (let i = 0; i < sizes; i++) remaining[i]! /= rest;
    }
    const each = weight[s - 1]! / binomial(k, s) / (s <= pairedSizes ? 2 : 1);
    for (const members of combinations(k, s)) {
      const z = new Uint8Array(k);
      for (const m of members) z[m] = 1;
      out.push({ z, weight: each });
      if (s <= pairedSizes) out.push({ z: z.map((v) => 1 - v), weight: each });
    }
  }
  if (full < sizes && left > 0) {
    const open = weight.slice(full).map((w, i) => (full + i < pairedSizes ? w / 2 : w));
    const openTotal = open.reduce((a, b) => a + b, 0);
    const drawn = new Map<string, WeightedCoalition>();
    const add = (z: Uint8Array): void => {
      const key = z.join('');
      const existing = drawn.get(key);
      if (existing) existing.weight += 1;
      else drawn.set(key, { z, weight: 1 });
    };
    let samples = 0;
    for (let attempt = 0; attempt < 4 * left && samples < left; attempt++) {
      let u = rng.uniform() * openTotal;
      let index = open.length - 1;
      for (let i = 0; i < open.length; i++) {
        u -= open[i]!;
        if (u <= 0) {
          index = i;
          break;
        }
      }
      const size = full + index + 1;
      const z = randomCoalition(k, size, rng);
      const before = drawn.size;
      add(z);
      if (drawn.size > before) samples++;
      if (size <= pairedSizes) {
        const before2 = drawn.size;
        add(z.map((v) => 1 - v));
        if (drawn.size > before2) samples++;
      }
    }
    const randomOnes = [...drawn.values()];
    const weightLeft = weight.slice(full).reduce((a, b) => a + b, 0);
    const drawnTotal = randomOnes.reduce((a, c) => a + c.weight, 0);
    for (const c of randomOnes) out.push({ z: c.z, weight: (c.weight * weightLeft) / drawnTotal });
  }
  return out;
}

/**
 * Shapley values from weighted coalitions by the efficiency-constrained weighted least squares of
 * Lundberg and Lee (2017): phi sums to v(all) - v(none) exactly, by eliminating the last player.
 */
export function solveKernelShap(coalitions: WeightedCoalition[], values: ArrayLike<number>, vNone: number, vAll: number, k: number): Float64Array {
  const delta = vAll - vNone;
  if (k === 1) return Float64Array.of(delta);
  // y - v(none) - z_last * delta = sum_{i < last} phi_i (z_i - z_last)
  const m = k - 1;
  const gram = new Float64Array(m * m);
  const rhs = new Float64Array(m);
  const row = new Float64Array(m);
  coalitions.forEach((c, r) => {
    const last = c.z[m]!;
    for (let i = 0; i < m; i++) row[i] = c.z[i]! - last;
    const target = values[r]! - vNone - last * delta;
    for (let a = 0; a < m; a++) {
      if (row[a] === 0) continue;
      rhs[a]! += c.weight * row[a]! * target;
      for (let b = 0; b < m; b++) gram[a * m + b]! += c.weight * row[a]! * row[b]!;
    }
  });
  const solution = solveSymmetric(gram, rhs, m);
  const phi = new Float64Array(k);
  let sum = 0;
  for (let i = 0; i < m; i++) {
    phi[i] = solution[i]!;
    sum += solution[i]!;
  }
  phi[m] = delta - sum;
  return phi;
}

function* combinations(n: number, r: number): Generator<number[]> {
  const idx = Array.from({ length: r }, (_, i) => i);
  while (true) {
    yield [...idx];
    let i = r - 1;
    while (i >= 0 && idx[i] === n - r + i) i--;
    if (i < 0) return;
    idx[i]!++;
    for (let j = i + 1; j < r; j++) idx[j] = idx[j - 1]! + 1;
  }
}

function randomCoalition(k: number, size: number, rng: Rng): Uint8Array {
  const order = Array.from({ length: k }, (_, i) => i);
  for (let i = 0; i < size; i++) {
    const j = i + rng.int(k - i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const z = new Uint8Array(k);
  for (let i = 0; i < size; i++) z[order[i]!] = 1;
  return z;
}
