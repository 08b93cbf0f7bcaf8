/**
 * Exact percentiles of attribution magnitudes, fast enough to recompute on every display change.
 *
 * The definition is numpy.percentile's default (linear interpolation between the two nearest order
 * statistics) over |v| or max(v, 0), with NaN and infinite values counted as 0. Every door uses it
 * (the workstation, the report and `lumen attribute --png`), so they show the same range.
 *
 * Sorting a copy takes 100+ ms for 512 x 512 in Node. Here the two order statistics are found
 * by radix selection on the float32 bit patterns instead: for non-negative floats the bits, read as
 * an unsigned integer, order the same way as the values. A histogram of the top 11 bits finds the
 * bucket holding the wanted rank, the candidates are compacted to that bucket, and two more rounds
 * on the next 10 and last 10 bits pin the value down. The first round reads every value once and
 * the later ones only the survivors, whatever the distribution (a value-range histogram stalls on
 * gradient maps, whose magnitudes span ten orders): ~1-2 ms for 512 x 512, bit-for-bit the result
 * of the sort.
 */

export type Magnitude = 'abs' | 'positive';

/** The rounds: [shift, bits] of the bit pattern each one buckets by (sign bit is always 0). */
const ROUNDS: ReadonlyArray<readonly [number, number]> = [
  [20, 11],
  [10, 10],
  [0, 10],
];

// Reused across calls: the display recomputes ranges at slider speed, and a fresh 1 MB copy each
// time shows up as garbage-collection pauses.
let values = new Float32Array(0);
let bits = new Uint32Array(0);
const counts = new Uint32Array(1 << 11);

/**
 * The p-th percentile (0 < p <= 100) of the magnitudes of all values in `maps` taken together.
 * 0 when there are no values.
 */
export function magnitudePercentile(maps: readonly ArrayLike<number>[], p: number, magnitude: Magnitude): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], not ${p}`);
  let n = 0;
  for (const m of maps) n += m.length;
  if (n === 0) return 0;
  if (values.length < n) {
    values = new Float32Array(n);
    bits = new Uint32Array(values.buffer);
  }
  // The copy also builds the first round's histogram, saving a pass over all values.
  const firstShift = ROUNDS[0]![0];
  counts.fill(0);
  let k = 0;
  let max = 0;
  for (const m of maps) {
    // NaN fails every comparison and becomes 0, as in the engine; so does -0. Infinity is zeroed.
    if (magnitude === 'abs') {
      for (let i = 0; i < m.length; i++, k++) {
        const v = m[i]!;
        const x = v < 0 ? (v > -Infinity ? -v : 0) : v > 0 && v < Infinity ? v : 0;
        values[k] = x;
        counts[bits[k]! >>> firstShift]!++;
        if (x > max) max = x;
      }
    } else {
      for (let i = 0; i < m.length; i++, k++) {
        const v = m[i]!;
        const x = v > 0 && v < Infinity ? v : 0;
        values[k] = x;
        counts[bits[k]! >>> firstShift]!++;
        if (x > max) max = x;
      }
    }
  }
  const position = (p / 100) * (n - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, n - 1);
  const fraction = position - below;
  // The common "scale to the maximum" needs no selection.
  const [low, high] = below === n - 1 ? [max, max] : orderStatistics(n, below, above);
  return low + fraction * (high - low);
}

/** The values of rank lo and hi (0-based; hi is lo or lo + 1) among values[0..n). Reorders them. */
function orderStatistics(n: number, lo: number, hi: number): [number, number] {
  for (let round = 0; round < ROUNDS.length; round++) {
    const [shift, width] = ROUNDS[round]!;
    const mask = (1 << width) - 1;
    // The first round's histogram was built while copying.
    if (round > 0) {
      counts.fill(0, 0, 1 << width);
      for (let i = 0; i < n; i++) counts[(bits[i]! >>> shift) & mask]!++;
    }
    let bucket = 0;
    let before = 0;
    while (before + counts[bucket]! <= lo) before += counts[bucket++]!;
    if (hi !== lo && before + counts[bucket]! <= hi) {
      // The ranks straddle two buckets: the largest of this one and the smallest of the next
      // non-empty one.
      let next = bucket + 1;
      while (counts[next] === 0) next++;
      let low = -Infinity;
      let high = Infinity;
      for (let i = 0; i < n; i++) {
        const b = (bits[i]! >>> shift) & mask;
        const v = values[i]!;
        if (b === bucket && v > low) low = v;
        else if (b === next && v < high) high = v;
      }
      return [low, high];
    }
    // Keep only the bucket that holds both ranks, compacted to the front.
    let kept = 0;
    for (let i = 0; i < n; i++) if (((bits[i]! >>> shift) & mask) === bucket) bits[kept++] = bits[i]!;
    n = kept;
    lo -= before;
    hi -= before;
  }
  // All 31 bits agree: every survivor is the same value.
  return [values[0]!, values[0]!];
}
