/**
 * Multi-label ground truth lives in the image's label, so it travels wherever labels go (shards,
 * merges, the dataset browser): the findings present, separated by '|' as in ChestX-ray14's
 * `Finding Labels` ("Effusion|Nodule", "No Finding" for none); a finding whose truth is unknown is
 * written with a leading '?' ("Effusion|?Nodule"). Every other finding of the model is absent.
 * An image without a label has no known truth at all.
 */

/** The label that says no finding is present (ChestX-ray14's spelling). */
export const noFinding = 'No Finding';

export type FindingTruth = 'present' | 'absent' | 'unknown';

/** A label from per-finding truth (findings in the given order): what a findings CSV row becomes. */
export function findingsLabel(truth: Array<{ finding: string; value: FindingTruth }>): string {
  const parts = [...truth.filter((t) => t.value === 'present').map((t) => t.finding), ...truth.filter((t) => t.value === 'unknown').map((t) => `?${t.finding}`)];
  return parts.length > 0 ? parts.join('|') : noFinding;
}

/**
 * Each of the model's findings' truth for one image's label; findings are matched ignoring case and
 * outer spaces. Also the label's names that are no finding of the model (a misspelling, or another
 * dataset's vocabulary), so the audit can say so.
 */
export function parseFindingsLabel(label: string | null, findings: string[]): { truth: FindingTruth[]; unmatched: string[] } {
  if (label === null) return { truth: findings.map(() => 'unknown'), unmatched: [] };
  const key = (s: string): string => s.trim().toLowerCase();
  const index = new Map(findings.map((f, i) => [key(f), i]));
  const truth: FindingTruth[] = findings.map(() => 'absent');
  const unmatched: string[] = [];
  for (const raw of label.split('|')) {
    const unknown = raw.trim().startsWith('?');
    const name = unknown ? raw.trim().slice(1) : raw;
    if (key(name) === '' || key(name) === key(noFinding)) continue;
    const i = index.get(key(name));
    if (i === undefined) unmatched.push(name.trim());
    else truth[i] = unknown ? 'unknown' : 'present';
  }
  return { truth, unmatched };
}
