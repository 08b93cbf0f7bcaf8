import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/main/engine/random/rng';

describe('Rng.addNormal', () => {
  it('gives exactly the values of one normal() per element, in order, odd lengths and a pending spare included', () => {
    for (const lengths of [[7], [8, 5], [1, 1, 3], [0, 4]]) {
      const fast = new Rng(42);
      const slow = new Rng(42);
      // A normal() before leaves a spare value pending, which addNormal must use first.
      expect(fast.normal()).toBe(slow.normal());
      for (const n of lengths) {
        const base = Float32Array.from({ length: n }, (_, i) => i / 10 - 0.3);
        const got = fast.addNormal(base, 0.25);
        const want = base.map((v) => v + 0.25 * slow.normal());
        expect([...got]).toEqual([...want]);
      }
      // Both generators are left in the same state.
      expect(fast.uniform()).toBe(slow.uniform());
      expect(fast.normal()).toBe(slow.normal());
    }
  });

  it('writes into a given array and draws from a standard normal', () => {
    const rng = new Rng(3);
    const out = new Float32Array(20000);
    expect(rng.addNormal(new Float32Array(20000), 1, out)).toBe(out);
    const mean = out.reduce((a, b) => a + b, 0) / out.length;
    const variance = out.reduce((a, b) => a + (b - mean) ** 2, 0) / out.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});
