/** One item of a batch: its decoded value, or the error that kept it from being read. */
export type Decoded<I, T> = { item: I; value: T; error?: undefined } | { item: I; value?: undefined; error: Error };

/**
 * Yields `items` in batches of `batchSize` (a number, or asked again as each batch starts), each
 * item decoded by `decode`. While the caller works on
 * batch k, batch k + 1 is already decoding, all its items at once (so sharp decodes them in
 * parallel on its thread pool). At most one batch waits ahead, so memory stays bounded however
 * long the list. An item whose decoding fails is yielded with its error, never thrown: the caller
 * records it and goes on, and a caller that stops early (cancel, pause) leaves no rejected promise
 * behind, only a batch whose results are dropped.
 */
export async function* decodeAhead<I, T>(items: readonly I[], batchSize: number | (() => number), decode: (item: I) => Promise<T>): AsyncGenerator<Array<Decoded<I, T>>> {
  const sizeNow = (): number => Math.max(1, Math.floor(typeof batchSize === 'number' ? batchSize : batchSize()));
  const start = (from: number, size: number): Promise<Array<Decoded<I, T>>> =>
    Promise.all(
      items.slice(from, from + size).map(async (item): Promise<Decoded<I, T>> => {
        try {
          return { item, value: await decode(item) };
        } catch (error) {
          return { item, error: error instanceof Error ? error : new Error(String(error)) };
        }
      }),
    );
  let from = 0;
  const startNext = (): Promise<Array<Decoded<I, T>>> | undefined => {
    if (from >= items.length) return undefined;
    const size = sizeNow();
    const batch = start(from, size);
    from += size;
    return batch;
  };
  let next = startNext();
  while (next) {
    const current = await next;
    next = startNext();
    yield current;
  }
}
