import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, FrameError } from '../../../src/shared/contract/wire';

describe('wire frames', () => {
  it('sends plain envelopes as JSON text', () => {
    const frame = encodeFrame({ type: 'request', id: '1', method: 'x', params: { a: [1, 2] } });
    expect(typeof frame).toBe('string');
    expect(decodeFrame(frame)).toEqual({ type: 'request', id: '1', method: 'x', params: { a: [1, 2] } });
  });

  it('round-trips typed arrays in a binary frame, bit for bit', () => {
    const map = new Float32Array([0.5, -1.25, Number.NaN, 3e-38]);
    const png = new Uint8Array([137, 80, 78, 71, 1, 2, 3]);
    const value = { id: 'r', result: { preview: { data: png }, maps: [map, new Int32Array([-7, 9])] } };
    const frame = encodeFrame(value);
    expect(frame).toBeInstanceOf(Uint8Array);
    const back = decodeFrame(frame) as typeof value;
    expect(back.result.preview.data).toBeInstanceOf(Uint8Array);
    expect([...back.result.preview.data]).toEqual([...png]);
    expect(back.result.maps[0]).toBeInstanceOf(Float32Array);
    expect(new Uint8Array((back.result.maps[0] as Float32Array).buffer)).toEqual(new Uint8Array(map.buffer));
    expect([...(back.result.maps[1] as Int32Array)]).toEqual([-7, 9]);
  });

  it('handles views into larger buffers', () => {
    const big = new Float32Array([1, 2, 3, 4, 5, 6]);
    const back = decodeFrame(encodeFrame({ v: big.subarray(2, 4) })) as { v: Float32Array };
    expect([...back.v]).toEqual([3, 4]);
  });

  it.each([
    ['not JSON text', 'not json'],
    ['a short binary frame', new Uint8Array([1, 2])],
    ['a frame without the header', new Uint8Array(16)],
  ])('rejects %s', (_name, frame) => {
    expect(() => decodeFrame(frame)).toThrow(FrameError);
  });

  it('rejects an array that points outside the frame', () => {
    const frame = encodeFrame({ v: new Uint8Array(8) }) as Uint8Array;
    const tampered = frame.slice(0, frame.length - 8);
    expect(() => decodeFrame(tampered)).toThrow(FrameError);
  });
});
