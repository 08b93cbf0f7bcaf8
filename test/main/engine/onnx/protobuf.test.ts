import { describe, expect, it } from 'vitest';
import { ProtoReader } from '../../../../src/main/engine/onnx/protobuf/reader';
import { ProtoWriter } from '../../../../src/main/engine/onnx/protobuf/writer';

describe('protobuf varints', () => {
  it.each([0, 1, 127, 128, 300, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1, -1, -2, -300, -(2 ** 31), -(2 ** 40)])('round-trips %d', (value) => {
    const w = new ProtoWriter();
    w.varint(3, value);
    const r = new ProtoReader(w.finish());
    expect(r.key()).toEqual([3, 0]);
    expect(r.varint()).toBe(value);
    expect(r.done).toBe(true);
  });

  it('encodes negative int64 as ten bytes, as protobuf does', () => {
    const w = new ProtoWriter();
    w.varint(1, -1);
    expect([...w.finish()]).toEqual([8, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1]);
  });

  it('reads packed and unpacked repeated fields alike', () => {
    const packed = new ProtoWriter();
    packed.packedVarints(1, [1, 150, -3]);
    const unpacked = new ProtoWriter();
    for (const v of [1, 150, -3]) unpacked.varint(1, v);
    for (const bytes of [packed.finish(), unpacked.finish()]) {
      const r = new ProtoReader(bytes);
      const values: number[] = [];
      while (!r.done) {
        const [, wire] = r.key();
        r.packed(wire, (x) => x.varint(), values);
      }
      expect(values).toEqual([1, 150, -3]);
    }
  });

  it('throws on truncated input instead of reading garbage', () => {
    const w = new ProtoWriter();
    w.string(2, 'hello world');
    const bytes = w.finish().subarray(0, 6);
    const r = new ProtoReader(bytes);
    r.key();
    expect(() => r.bytes()).toThrow(RangeError);
  });

  it('writes large byte fields without copying them twice and keeps order', () => {
    const big = new Uint8Array(1000).map((_, i) => i % 251);
    const w = new ProtoWriter();
    w.varint(1, 5);
    w.bytes(2, big);
    w.message(3, (m) => m.string(1, 'nested'));
    const r = new ProtoReader(w.finish());
    expect(r.key()).toEqual([1, 0]);
    expect(r.varint()).toBe(5);
    expect(r.key()).toEqual([2, 2]);
    expect(r.bytes()).toEqual(big);
    expect(r.key()).toEqual([3, 2]);
    const inner = r.message();
    inner.key();
    expect(inner.string()).toBe('nested');
  });
});
