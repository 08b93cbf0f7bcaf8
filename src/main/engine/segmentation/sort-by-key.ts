/**
 * Indices 0..n-1 ordered by non-negative float64 keys, stably (equal keys keep their index
 * order), by least-significant-digit radix sort on the keys' bit patterns: for non-negative IEEE
 * numbers the bit pattern orders like the value. Linear time; the edge lists of segmentation
 * are sorted this way.
 */
export function argsortNonNegative(keys: Float64Array): Uint32Array {
  const n = keys.length;
  const bits = new Uint32Array(keys.buffer, keys.byteOffset, n * 2);
  let order = new Uint32Array(n);
  let scratch = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const counts = new Uint32Array(65536);
  // Little-endian: word 2i is the low half, 2i + 1 the high half. Four 16-bit passes, low to high.
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? 0 : 1;
    const shift = pass % 2 === 0 ? 0 : 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(bits[2 * order[i]! + word]! >>> shift) & 0xffff]!++;
    let sum = 0;
    for (let b = 0; b < 65536; b++) {
      const c = counts[b]!;
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const idx = order[i]!;
      scratch[counts[(bits[2 * idx + word]! >>> shift) & 0xffff]!++] = idx;
    }
    [order, scratch] = [scratch, order];
  }
  return order;
}
