import { Rng } from '../random/rng';

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

/** Images sorted by probability (`order`) and where each group of equal probability starts (`starts`, ending with n). */
interface Sorted {
  order: Int32Array;
  starts: Int32Array;
}

/**
 * AUROC, sensitivity and specificity of images weighted by how often a resample drew them (null:
 * each once, the data as it is). One pass up through the groups of equal probability: a positive
 * beats the negatives below its group and ties with those in it (one half), as in auroc.ts, so a
 * resample costs O(n) instead of a copy and a sort.
 */
function weightedStatistics(sorted: Sorted, probability: number[], positive: Uint8Array, weight: Int32Array | null, threshold: number): [number | null, number | null, number | null] {
  const { order, starts } = sorted;
  let negativesBelow = 0;
  let wins = 0;
  let positives = 0;
  let truePositives = 0;
  let trueNegatives = 0;
  for (let g = 0; g + 1 < starts.length; g++) {
    let p = 0;
    let q = 0;
    for (let k = starts[g]!; k < starts[g + 1]!; k++) {
      const i = order[k]!;
      const w = weight ? weight[i]! : 1;
      if (positive[i]) p += w;
      else q += w;
    }
    if (probability[order[starts[g]!]!]! >= threshold) truePositives += p;
    else trueNegatives += q;
    wins += p * negativesBelow + 0.5 * p * q;
    negativesBelow += q;
    positives += p;
  }
  const negatives = negativesBelow;
  return [positives && negatives ? wins / (positives * negatives) : null, positives ? truePositives / positives : null, negatives ? trueNegatives / negatives : null];
}

/**
 * One finding's AUROC, sensitivity and specificity (probability >= threshold calls it present) over
 * the images with known truth, each with a 95% percentile bootstrap interval. The bootstrap is
 * stratified (positives and negatives resampled apart, as pROC does), so every resample has both
 * classes and the same prevalence; seeded, so the same audit gives the same intervals.
 */
export function findingMetrics(probability: number[], truth: boolean[], threshold: number, options: { resamples?: number; seed?: number } = {}): FindingMetrics {
  const n = probability.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => probability[a]! - probability[b]!);
  const starts: number[] = [];
  for (let k = 0; k < n; k++) if (k === 0 || probability[order[k]!] !== probability[order[k - 1]!]) starts.push(k);
  starts.push(n);
  const sorted: Sorted = { order, starts: Int32Array.from(starts) };
  const positive = Uint8Array.from(truth, Number);
  const pos = Int32Array.from(truth.flatMap((t, i) => (t ? [i] : [])));
  const neg = Int32Array.from(truth.flatMap((t, i) => (t ? [] : [i])));
  const point = weightedStatistics(sorted, probability, positive, null, threshold);
  const resamples = options.resamples ?? 1000;
  const rng = new Rng(options.seed ?? 0);
  const draws: number[][] = [[], [], []];
  const weight = new Int32Array(n);
  for (let r = 0; r < resamples; r++) {
    weight.fill(0);
    for (const stratum of [pos, neg]) for (let k = 0; k < stratum.length; k++) weight[stratum[rng.int(stratum.length)]!]!++;
    weightedStatistics(sorted, probability, positive, weight, threshold).forEach((v, k) => {
      if (v !== null) draws[k]!.push(v);
    });
  }
  const estimate = (k: number): Estimate => {
    const sorted = Float64Array.from(draws[k]!).sort();
    const at = (q: number): number | null => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : null);
    return { value: point[k]!, ciLow: at(0.025), ciHigh: at(0.975) };
  };
  return { images: n, positives: pos.length, auroc: estimate(0), sensitivity: estimate(1), specificity: estimate(2) };
}
