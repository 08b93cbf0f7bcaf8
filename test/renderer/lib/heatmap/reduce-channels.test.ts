import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/main/engine/random/rng';
import { channelReductions, heatmapOf, mapGeometry, reduceChannels } from '../../../../src/renderer/src/lib/heatmap/reduce-channels';

// A 2 x 2 image with 3 channels, channels-first: channel c of pixel p is data[c * 4 + p].
const red = [1, -2, 0, 3];
const green = [2, 2, 0, -4];
const blue = [-3, 1, 0, 0];
const nchw = Float32Array.from([...red, ...green, ...blue]);
// The same values channels-last: pixel p's channels are data[p * 3 .. p * 3 + 2].
const nhwc = Float32Array.from([0, 1, 2, 3].flatMap((p) => [red[p]!, green[p]!, blue[p]!]));

describe('reduceChannels', () => {
  it('sum keeps the sign; sum-abs, max-abs and l2 are magnitudes (hand-computed)', () => {
    expect(Array.from(reduceChannels(nchw, [1, 3, 2, 2], 'sum').data)).toEqual([0, 1, 0, -1]);
    expect(Array.from(reduceChannels(nchw, [1, 3, 2, 2], 'sum-abs').data)).toEqual([6, 5, 0, 7]);
    expect(Array.from(reduceChannels(nchw, [1, 3, 2, 2], 'max-abs').data)).toEqual([3, 2, 0, 4]);
    const l2 = reduceChannels(nchw, [1, 3, 2, 2], 'l2').data;
    [Math.sqrt(14), 3, 0, 5].forEach((v, i) => expect(l2[i]).toBeCloseTo(v, 6));
    expect(reduceChannels(nchw, [1, 3, 2, 2]).width).toBe(2);
    expect(reduceChannels(nchw, [1, 3, 2, 2]).height).toBe(2);
  });

  it('channels-last input gives the same map', () => {
    for (const how of channelReductions) {
      expect(Array.from(reduceChannels(nhwc, [1, 2, 2, 3], how, 'NHWC').data), how).toEqual(Array.from(reduceChannels(nchw, [1, 3, 2, 2], how).data));
    }
  });

  it('a one-channel map comes back as it is, without a copy', () => {
    const map = Float32Array.of(1, -2, 3, -4, 5, -6);
    expect(reduceChannels(map, [1, 1, 2, 3]).data).toBe(map);
    expect(reduceChannels(map, [2, 3]).data).toBe(map);
    expect(reduceChannels(map, [1, 1, 2, 3], 'sum', 'NHWC').data).toBe(map);
    expect(reduceChannels(map, [2, 3])).toMatchObject({ width: 3, height: 2 });
    expect(Array.from(reduceChannels(map, [1, 1, 2, 3], 'sum-abs').data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('equals a direct double-precision reduction, stored as float32, bit for bit (both layouts)', () => {
    const rng = new Rng(3);
    const [C, H, W] = [3, 17, 23];
    const data = Float32Array.from({ length: C * H * W }, () => rng.normal());
    const at = (c: number, p: number): number => data[c * H * W + p]!;
    const reference: Record<(typeof channelReductions)[number], (p: number) => number> = {
      sum: (p) => at(0, p) + at(1, p) + at(2, p),
      'sum-abs': (p) => Math.abs(at(0, p)) + Math.abs(at(1, p)) + Math.abs(at(2, p)),
      'max-abs': (p) => Math.max(Math.abs(at(0, p)), Math.abs(at(1, p)), Math.abs(at(2, p))),
      l2: (p) => Math.sqrt(at(0, p) ** 2 + at(1, p) ** 2 + at(2, p) ** 2),
    };
    const last = new Float32Array(data.length);
    for (let c = 0; c < C; c++) for (let p = 0; p < H * W; p++) last[p * C + c] = at(c, p);
    for (const how of channelReductions) {
      const expected = Float32Array.from({ length: H * W }, (_, p) => reference[how](p));
      expect(reduceChannels(data, [1, C, H, W], how).data, how).toEqual(expected);
      expect(reduceChannels(last, [1, H, W, C], how, 'NHWC').data, `${how} NHWC`).toEqual(expected);
    }
  });

  it('rejects shapes and sizes that do not fit', () => {
    expect(() => reduceChannels(nchw, [1, 3, 2, 3])).toThrow(/needs 18 values, not 12/);
    expect(() => reduceChannels(nchw, [2, 3, 2, 1])).toThrow(/cannot draw/);
    expect(() => reduceChannels(nchw, [12])).toThrow(/cannot draw/);
    expect(() => mapGeometry([1, 3, 0, 4])).toThrow(/cannot draw/);
  });
});

describe('heatmapOf', () => {
  it('draws map results as they are and reduces pixel results', () => {
    const map = Float32Array.of(1, 2, 3, 4);
    expect(heatmapOf({ kind: 'map', dims: [1, 1, 2, 2], data: map }).data).toBe(map);
    expect(Array.from(heatmapOf({ kind: 'pixel', dims: [1, 3, 2, 2], data: nchw }, { reduction: 'sum-abs' }).data)).toEqual([6, 5, 0, 7]);
    expect(Array.from(heatmapOf({ kind: 'pixel', dims: [1, 2, 2, 3], data: nhwc }, { layout: 'NHWC' }).data)).toEqual([0, 1, 0, -1]);
    // A map result of a channels-last model is still [1, 1, H, W].
    expect(heatmapOf({ kind: 'map', dims: [1, 1, 2, 2], data: map }, { layout: 'NHWC' })).toMatchObject({ width: 2, height: 2 });
  });
});
