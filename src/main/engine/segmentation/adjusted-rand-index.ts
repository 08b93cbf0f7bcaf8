import { LumenError } from '../../../shared/errors';

/** n choose 2, in floating point (counts reach 50 000 pixels, so n² stays exact in a double). */
const pairs = (n: number): number => (n * (n - 1)) / 2;

/**
 * The adjusted Rand index of two labelings of the same pixels (Hubert and Arabie 1985): 1 for
 * identical partitions whatever the label numbers, about 0 for unrelated ones. It is how the
 * segmentation tests compare Lumen's label maps with scikit-image's, since label numbering is
 * arbitrary and a few pixels on a tied boundary should cost a little, not everything.
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) {
    throw new LumenError('invalid-argument', `The adjusted Rand index needs two labelings of the same non-empty set (got ${a.length} and ${b.length} labels).`);
  }
  const n = a.length;
  const joint = new Map<string, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const key = `${x},${y}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
    rows.set(x, (rows.get(x) ?? 0) + 1);
    cols.set(y, (cols.get(y) ?? 0) + 1);
  }
  let index = 0;
  for (const c of joint.values()) index += pairs(c);
  let sumRows = 0;
  for (const c of rows.values()) sumRows += pairs(c);
  let sumCols = 0;
  for (const c of cols.values()) sumCols += pairs(c);
  const expected = (sumRows * sumCols) / pairs(n);
  const maximum = (sumRows + sumCols) / 2;
  // Both labelings put everything in one segment (or every pixel alone): they agree perfectly.
  if (maximum === expected) return 1;
  return (index - expected) / (maximum - expected);
}
