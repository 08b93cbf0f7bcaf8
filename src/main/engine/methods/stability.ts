import type { Attribution } from './method';
import { meanPairwiseSpearman } from './rank-correlation';

/**
 * The `stability` option of stochastic methods: run with seeds seed, seed + 1, ... and return
 * the mean result with the mean pairwise rank correlation of the runs (computed on per-segment
 * values when the method has segments, else on the maps), so a user sees how much one run varies.
 */
export async function withStability(
  runs: number,
  seed: number,
  once: (seed: number) => Promise<Attribution>,
): Promise<Attribution> {
  if (runs <= 1) return once(seed);
  const results: Attribution[] = [];
  for (let k = 0; k < runs; k++) results.push(await once(seed + k));
  const first = results[0]!;
  const map = new Float32Array(first.map.length);
  for (const r of results) for (let i = 0; i < map.length; i++) map[i]! += r.map[i]! / runs;
  const figures: Record<string, number> = {};
  for (const r of results) for (const [key, value] of Object.entries(r.figures)) figures[key] = (figures[key] ?? 0) + value / runs;
  const comparable = results.map((r) => r.segments?.values ?? r.map);
  figures['stabilityRuns'] = runs;
  figures['stabilityRankCorrelation'] = meanPairwiseSpearman(comparable);
  const mean: Attribution = { map, figures };
  if (first.segments) {
    const values = first.segments.values.map((_, i) => results.reduce((s, r) => s + r.segments!.values[i]!, 0) / runs);
    mean.segments = { labels: first.segments.labels, values };
  }
  return mean;
}
