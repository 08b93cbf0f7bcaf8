import { describe, expect, it } from 'vitest';
import { decodeAhead } from '../../../../src/main/engine/project/decode-ahead';

/** A decoder that records when each item starts and lets the test finish it when it likes. */
function controlledDecoder() {
  const started: number[] = [];
  const pending = new Map<number, { resolve: (v: string) => void; reject: (e: Error) => void }>();
  const decode = (item: number): Promise<string> =>
    new Promise((resolve, reject) => {
      started.push(item);
      pending.set(item, { resolve, reject });
    });
  const finish = (item: number, error?: string): void => {
    const p = pending.get(item)!;
    pending.delete(item);
    if (error) p.reject(new Error(error));
    else p.resolve(`decoded ${item}`);
  };
  return { started, decode, finish };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('decodeAhead', () => {
  it('decodes a batch all at once, the next one while the caller works on this one, and no further ahead', async () => {
    const { started, decode, finish } = controlledDecoder();
    const batches = decodeAhead([1, 2, 3, 4, 5], 2, decode);
    const first = batches.next();
    await tick();
    // Both items of the first batch decode together.
    expect(started).toEqual([1, 2]);
    finish(1);
    finish(2);
    expect((await first).value).toEqual([
      { item: 1, value: 'decoded 1' },
      { item: 2, value: 'decoded 2' },
    ]);
    // While the caller holds batch 1, batch 2 is decoding, and batch 3 has not started.
    await tick();
    expect(started).toEqual([1, 2, 3, 4]);
    const second = batches.next();
    await tick();
    expect(started).toEqual([1, 2, 3, 4]);
    finish(3);
    finish(4);
    expect((await second).value.map((d: { item: number }) => d.item)).toEqual([3, 4]);
    await tick();
    expect(started).toEqual([1, 2, 3, 4, 5]);
    finish(5);
    expect((await batches.next()).value).toEqual([{ item: 5, value: 'decoded 5' }]);
    expect((await batches.next()).done).toBe(true);
  });

  it('yields an item that fails with its error and keeps the rest of its batch', async () => {
    const { decode, finish } = controlledDecoder();
    const batches = decodeAhead([0, 1], 2, decode);
    const first = batches.next();
    await tick();
    finish(0, 'not an image');
    finish(1);
    const [bad, good] = (await first).value as Array<{ item: number; value?: string; error?: Error }>;
    expect(bad!.error!.message).toBe('not an image');
    expect(bad!.value).toBeUndefined();
    expect(good).toEqual({ item: 1, value: 'decoded 1' });
  });

  it('a caller that stops early leaves the batch decoding ahead to finish or fail unobserved, without an unhandled rejection', async () => {
    const { started, decode, finish } = controlledDecoder();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      for await (const batch of decodeAhead([1, 2, 3], 1, async (item) => {
        const value = decode(item);
        if (item === 1) finish(1);
        return value;
      })) {
        expect(batch[0]!.item).toBe(1);
        break;
      }
      // Item 2 was decoding ahead when the caller stopped; it fails later, and nobody hears of it.
      expect(started).toEqual([1, 2]);
      finish(2, 'broken');
      await tick();
      await tick();
      expect(unhandled).toEqual([]);
      expect(started).toEqual([1, 2]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('asks a batch size function as each batch starts, so a batch can follow what the last one took', async () => {
    const sizes = [1, 3, 2];
    const asked: number[] = [];
    const batches: number[][] = [];
    for await (const batch of decodeAhead([1, 2, 3, 4, 5, 6], () => (asked.push(asked.length), sizes[asked.length - 1]!), async (x) => x)) {
      batches.push(batch.map((d) => d.value!));
    }
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6]]);
    expect(asked).toHaveLength(3);
  });

  it('yields nothing for no items, and treats a batch size below one as one', async () => {
    const none: unknown[] = [];
    for await (const batch of decodeAhead([], 4, async (x) => x)) none.push(batch);
    expect(none).toEqual([]);
    const sizes: number[] = [];
    for await (const batch of decodeAhead([1, 2, 3], 0, async (x) => x)) sizes.push(batch.length);
    expect(sizes).toEqual([1, 1, 1]);
  });
});
