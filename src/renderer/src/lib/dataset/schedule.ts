/**
 * Runs `task` once things settle: `delay` ms after the last poke, but at least every `maxWait` ms
 * while pokes keep coming (a slow continuous scroll still loads what it shows; a fast one does
 * not fetch every page it flies over). `cancel` drops a pending run.
 */
export function settleScheduler(
  task: () => void,
  delay: number,
  maxWait: number,
  timers: { set: (fn: () => void, ms: number) => unknown; clear: (handle: unknown) => void } = {
    set: (fn, ms) => setTimeout(fn, ms),
    clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  },
  now: () => number = () => performance.now(),
): { poke: () => void; cancel: () => void } {
  let handle: unknown = null;
  let firstPoke: number | null = null;
  const run = (): void => {
    handle = null;
    firstPoke = null;
    task();
  };
  return {
    poke() {
      const t = now();
      firstPoke ??= t;
      if (handle !== null) timers.clear(handle);
      handle = timers.set(run, Math.max(0, Math.min(delay, firstPoke + maxWait - t)));
    },
    cancel() {
      if (handle !== null) timers.clear(handle);
      handle = null;
      firstPoke = null;
    },
  };
}
