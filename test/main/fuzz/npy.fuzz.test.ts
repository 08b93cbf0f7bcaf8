import fc from 'fast-check';
import { describe, it } from 'vitest';
import { encodeNpy, parseNpy } from '../../../src/main/engine/io/npy';
import { expectClearFailure, fuzzTimeout, mutatedBytes, runFuzz, worked } from './harness';

// Files as numpy.save writes them, each dtype and both header versions, damaged at random.
const seeds = [
  { label: 'float32 [1,3,4,4]', bytes: encodeNpy({ shape: [1, 3, 4, 4], data: Float32Array.from({ length: 48 }, (_, i) => i / 7) }) },
  { label: 'float64 [5]', bytes: encodeNpy({ shape: [5], data: new Float64Array([1, -2, 3.5, 1e300, -0]) }) },
  { label: 'int64 [2,2]', bytes: encodeNpy({ shape: [2, 2], data: new BigInt64Array([1n, -1n, 2n ** 40n, 0n]) }) },
  { label: 'int32 []', bytes: encodeNpy({ shape: [], data: new Int32Array([42]) }) },
  { label: 'uint8 [3,1]', bytes: encodeNpy({ shape: [3, 1], data: new Uint8Array([0, 1, 255]) }) },
  { label: 'bool [4]', bytes: encodeNpy({ shape: [4], data: new Uint8Array([1, 0, 1, 1]), dtype: 'bool' }) },
  { label: 'float32 [0,3]', bytes: encodeNpy({ shape: [0, 3], data: new Float32Array(0) }) },
];

const name = 'fuzz/input.npy';

/** A parse either gives an array whose data fills its shape, or a one-line error naming the file. */
function parseOrClearError(bytes: Uint8Array): void {
  const started = performance.now();
  try {
    const array = parseNpy(bytes, name);
    const count = array.shape.reduce((n, d) => n * d, 1);
    if (array.data.length !== count) throw new Error(`shape [${array.shape.join(', ')}] holds ${count} values, the data ${array.data.length}`);
    worked();
  } catch (error) {
    expectClearFailure(error, name);
  }
  // A parse is linear in the file: anything slow is a loop gone wrong.
  if (performance.now() - started > 2000) throw new Error(`parsing took ${Math.round(performance.now() - started)} ms`);
}

describe('fuzz: .npy files', () => {
  it('damaged numpy files parse or give a clear error', { timeout: fuzzTimeout(400, 20) }, async () => {
    await runFuzz('npy: mutated files', 400, fc.property(mutatedBytes(seeds, 5), ({ bytes }) => parseOrClearError(bytes)));
  });

  it('hand-written headers (any dict text after a valid magic) parse or give a clear error', { timeout: fuzzTimeout(300, 20) }, async () => {
    const words = fc.constantFrom("'descr'", "'<f4'", "'>i8'", "'|b1'", "'<c8'", "'fortran_order'", 'True', 'False', "'shape'", '(', ')', '(2,)', '[', ']', '{', '}', ':', ',', ' ', '-1', '99999999999999999999', "'", '\\\\', '3L', 'None');
    const header = fc.array(words, { maxLength: 24 }).map((w) => w.join(''));
    await runFuzz(
      'npy: random headers',
      300,
      fc.property(header, fc.constantFrom(1, 2, 3), fc.uint8Array({ maxLength: 64 }), (text, version, body) => {
        const encoded = new TextEncoder().encode(`${text}\n`);
        const prefix = version === 1 ? 10 : 12;
        const bytes = new Uint8Array(prefix + encoded.length + body.length);
        bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
        const view = new DataView(bytes.buffer);
        if (version === 1) view.setUint16(8, encoded.length, true);
        else view.setUint32(8, encoded.length, true);
        bytes.set(encoded, prefix);
        bytes.set(body, prefix + encoded.length);
        parseOrClearError(bytes);
      }),
    );
  });
});
