/** How much work was done at a moment (ms on any monotonic clock). */
export interface ProgressSample {
  done: number;
  at: number;
}

/**
 * Work must have gone on this long, and this many items been done, since the first sample before a
 * rate means anything: a resumed job's first report already counts the items done before it
 * stopped, and a rate over a few milliseconds is noise.
 */
export const meaningfulRate = { seconds: 1, items: 1 } as const;

/**
 * Items per second and the time left, from the work done since `since` (the first report of this
 * run, so resumed items do not count); null until the rate means something.
 */
export function rateSince(since: ProgressSample, now: ProgressSample, total: number): { ratePerSecond: number; etaSeconds: number } | null {
  const seconds = (now.at - since.at) / 1000;
  const items = now.done - since.done;
  if (seconds < meaningfulRate.seconds || items < meaningfulRate.items) return null;
  const ratePerSecond = items / seconds;
  return { ratePerSecond, etaSeconds: Math.max(0, total - now.done) / ratePerSecond };
}
