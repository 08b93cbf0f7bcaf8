import type { Objective } from '../autodiff/objective';
import { pearson } from '../methods/rank-correlation';
import { Rng } from '../random/rng';
import type { MetricContext } from './metric';

export interface SubsetCorrelation {
  size: number;
  /** Summed relevance of each random subset. */
  sums: number[];
  /** Score drop when that subset is replaced by the background. */
  drops: number[];
  /** Pearson correlation of the two; 0 when either is constant (see `degenerate`). */
  correlation: number;
  degenerate: boolean;
}

/**
 * For each subset size, `runs` random pixel subsets (uniform without replacement, seeded): the
 * relevance they hold against the score drop when they are replaced by the background. All
 * subsets of all sizes, plus the unperturbed input, go through the model in one batched stream.
 * Shared by faithfulness correlation (one size) and sensitivity-n (a range of sizes).
 */
export async function subsetCorrelations(
  ctx: MetricContext,
  relevance: Float64Array,
  sizes: number[],
  runs: number,
  seed: number,
  objective: Objective,
  background: Float32Array,
): Promise<SubsetCorrelation[]> {
  const n = relevance.length;
  const rng = new Rng(seed);
  const indices = Uint32Array.from({ length: n }, (_, i) => i);
  const subsets: Uint32Array[] = [];
  const sums: number[] = [];
  for (const size of sizes) {
    for (let r = 0; r < runs; r++) {
      // A partial Fisher-Yates shuffle: the subset is the first `size` of a fresh shuffle.
      for (let i = 0; i < size; i++) {
        const j = i + rng.int(n - i);
        [indices[i], indices[j]] = [indices[j]!, indices[i]!];
      }
      const subset = indices.slice(0, size);
      subsets.push(subset);
      let s = 0;
      for (const p of subset) s += relevance[p]!;
      sums.push(s);
    }
  }
  const mask = new Float32Array(n);
  // Row 0 is the unperturbed input; row k + 1 has subset k replaced.
  const scores = await ctx.scoreMasked(
    objective,
    subsets.length + 1,
    (i) => {
      mask.fill(1);
      if (i > 0) for (const p of subsets[i - 1]!) mask[p] = 0;
      return mask;
    },
    background,
  );
  const constant = (v: number[]): boolean => v.every((x) => x === v[0]);
  return sizes.map((size, s) => {
    const mySums = sums.slice(s * runs, (s + 1) * runs);
    const drops = mySums.map((_, r) => scores[0]! - scores[s * runs + r + 1]!);
    return { size, sums: mySums, drops, correlation: pearson(mySums, drops), degenerate: constant(mySums) || constant(drops) };
  });
}
