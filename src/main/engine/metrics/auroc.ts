/**
 * Area under the ROC curve of scores against binary truth: the probability that a random positive
 * scores above a random negative, a tie counting one half (the Mann-Whitney U statistic over P x N).
 * Computed by one sort: going up through groups of equal scores, each positive in a group beats the
 * negatives below the group and ties with those in it. Null when either class is empty (undefined).
 */
export function auroc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let negativesBelow = 0;
  let wins = 0;
  let positives = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end < n && scores[order[end]!] === scores[order[start]!]) end++;
    let p = 0;
    for (let k = start; k < end; k++) if (positive[order[k]!]) p++;
    const q = end - start - p;
    wins += p * negativesBelow + 0.5 * p * q;
    negativesBelow += q;
    positives += p;
    start = end;
  }
  const negatives = n - positives;
  return positives === 0 || negatives === 0 ? null : wins / (positives * negatives);
}
