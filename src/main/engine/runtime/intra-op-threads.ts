import { availableParallelism } from 'node:os';
import type { SessionOptions } from './onnxruntime';

/**
 * onnxruntime's intra-op threads when the settings say 0 ("one per core"): the CPUs this process
 * may use, given explicitly. Left to itself, onnxruntime-node 1.30 kept a single thread busy on a
 * two-core Linux machine (the second spun without sharing the work): ResNet-18's forward pass took
 * 19.4 ms of wall clock with its default and 10.4 ms with two threads named, and the gradient graph
 * 47.7 against 29.1 ms (medians of 12 interleaved runs on an idle machine).
 */
export function defaultIntraOpThreads(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Session options with the thread count made explicit where the caller left it to onnxruntime, and
 * the threads sleeping instead of spinning between runs. Each session has its own thread pool, and
 * Lumen alternates sessions all the time (a forward pass to classify, then an attribution graph):
 * the pool that just finished kept spinning on the cores the next session needed. With two
 * sessions taking turns on two cores, ResNet-18's gradient graph took 49 ms spinning and 27 ms not
 * (25.6 ms spinning when it ran alone), the forward pass 20-29 against 10 ms. Through the engine,
 * with gradient, Grad-CAM, DeepLIFT and LRP requests taking turns: 52, 31, 88 and 53 ms spinning,
 * 33, 16-21, 63 and 39-45 ms not (one method repeated: within 10% either way).
 */
export function withIntraOpThreads(options: SessionOptions): SessionOptions {
  const threads = options.intraOpNumThreads !== undefined && options.intraOpNumThreads > 0 ? options.intraOpNumThreads : defaultIntraOpThreads();
  const extra = (options.extra ?? {}) as { session?: Record<string, string> };
  const session = { 'intra_op.allow_spinning': '0', ...extra.session };
  return { ...options, intraOpNumThreads: threads, extra: { ...extra, session } };
}
