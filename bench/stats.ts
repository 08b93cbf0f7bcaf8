/** Median and spread of repeated timings; benchmarks report medians, not means. */
export function summarize(samples: number[]): { median: number; p10: number; p90: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { median: at(0.5), p10: at(0.1), p90: at(0.9), n: s.length };
}

export async function time(fn: () => Promise<unknown>, repeats: number, warmup = 3): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}
