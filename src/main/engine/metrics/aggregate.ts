import { LumenError } from '../../../shared/errors';
import { Rng } from '../random/rng';

export interface ScoreSummary {
  n: number;
  mean: number;
  std: number;
  /** Percentile bootstrap confidence interval of the mean. */
  ciLow: number;
  ciHigh: number;
}

/**
 * Mean of per-image scores with a percentile bootstrap confidence interval (Efron 1979):
 * `resamples` means of resamples with replacement, seeded, and their (1 - level) / 2 and
 * (1 + level) / 2 quantiles.
 */
export function bootstrapMean(values: number[], options: { resamples?: number; level?: number; seed?: number } = {}): ScoreSummary {
  const n = values.length;
  if (n === 0) throw new LumenError('invalid-argument', 'No scores to summarise: every image failed or none was given.');
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  const rng = new Rng(options.seed ?? 0);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[rng.int(n)]!;
    means[r] = s / n;
  }
  means.sort();
  const at = (q: number): number => means[Math.min(resamples - 1, Math.max(0, Math.floor(q * resamples)))]!;
  return { n, mean, std, ciLow: at((1 - level) / 2), ciHigh: at((1 + level) / 2) };
}

export interface MethodRanking {
  method: string;
  /** Rank per metric, 1 = best (ties share the average rank). */
  ranks: Record<string, number>;
  meanRank: number;
}

/**
 * Methods ranked per metric by mean score, in each metric's own direction, and overall by their
 * mean rank across metrics (best first). Only metrics every method has a score for are used.
 */
export function rankMethods(means: Record<string, Record<string, number>>, higherIsBetter: Record<string, boolean>): MethodRanking[] {
  const methods = Object.keys(means);
  const metrics = Object.keys(higherIsBetter).filter((m) => methods.every((method) => Number.isFinite(means[method]![m])));
  const ranks: Record<string, Record<string, number>> = Object.fromEntries(methods.map((m) => [m, {}]));
  for (const metric of metrics) {
    const sign = higherIsBetter[metric] ? -1 : 1;
    const sorted = [...methods].sort((a, b) => sign * (means[a]![metric]! - means[b]![metric]!));
    for (let i = 0; i < sorted.length; ) {
      let j = i;
      while (j + 1 < sorted.length && means[sorted[j + 1]!]![metric] === means[sorted[i]!]![metric]) j++;
      for (let k = i; k <= j; k++) ranks[sorted[k]!]![metric] = (i + j) / 2 + 1;
      i = j + 1;
    }
  }
  return methods
    .map((method) => {
      const r = Object.values(ranks[method]!);
      return { method, ranks: ranks[method]!, meanRank: r.length ? r.reduce((a, b) => a + b, 0) / r.length : Number.NaN };
    })
    .sort((a, b) => a.meanRank - b.meanRank || a.method.localeCompare(b.method));
}
