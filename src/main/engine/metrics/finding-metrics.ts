import { Rng } from '../random/rng';
import { auroc } from './auroc';

/** A figure with its percentile bootstrap interval; null where the data cannot define it. */
export interface Estimate {
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export interface FindingMetrics {
  /** Images whose truth for the finding is known, and how many of them have it. */
  images: number;
  positives: number;
  auroc: Estimate;
  /** At the threshold: the share of positives called present, and of negatives called absent. */
  sensitivity: Estimate;
  specificity: Estimate;
}

/**
 * One finding's AUROC, sensitivity and specificity (probability >= threshold calls it present) over
 * the images with known truth, each with a 95% percentile bootstrap interval. The bootstrap is
 * stratified (positives and negatives resampled apart, as pROC does), so every resample has both
 * classes and the same prevalence; seeded, so the same audit gives the same intervals.
 */
export function findingMetrics(probability: number[], truth: boolean[], threshold: number, options: { resamples?: number; seed?: number } = {}): FindingMetrics {
  const pos = probability.filter((_, i) => truth[i]);
  const neg = probability.filter((_, i) => !truth[i]);
  const resamples = options.resamples ?? 1000;
  const rng = new Rng(options.seed ?? 0);
  const statistics = (p: number[], n: number[]): [number | null, number | null, number | null] => [
    auroc([...p, ...n], [...p.map(() => true), ...n.map(() => false)]),
    p.length ? p.filter((v) => v >= threshold).length / p.length : null,
    n.length ? n.filter((v) => v < threshold).length / n.length : null,
  ];
  const point = statistics(pos, neg);
  const draws: number[][] = [[], [], []];
  const resample = (values: number[]): number[] => values.map(() => values[rng.int(values.length)]!);
  for (let r = 0; r < resamples; r++) {
    statistics(resample(pos), resample(neg)).forEach((v, k) => {
      if (v !== null) draws[k]!.push(v);
    });
  }
  const estimate = (k: number): Estimate => {
    const sorted = Float64Array.from(draws[k]!).sort();
    const at = (q: number): number | null => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : null);
    return { value: point[k]!, ciLow: at(0.025), ciHigh: at(0.975) };
  };
  return { images: truth.length, positives: pos.length, auroc: estimate(0), sensitivity: estimate(1), specificity: estimate(2) };
}
