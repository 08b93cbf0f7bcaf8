import { describe, expect, it } from 'vitest';
import { groundTruthMask } from '../../../../src/main/engine/metrics/ground-truth';

describe('ground truth of an evaluation request', () => {
  it('boxes (x1, y1 exclusive, clipped) and a mask combine into one mask', () => {
    const truth = { boxes: [{ x0: 1, y0: 0, x1: 3, y1: 1 }, { x0: 3, y0: 2, x1: 9, y1: 9 }], mask: { height: 3, width: 4, data: Uint8Array.from([0, 0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0]) } };
    expect(Array.from(groundTruthMask(truth, 3, 4))).toEqual([0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('a mask of the wrong size, a box outside the image and an empty mask are clear errors', () => {
    expect(() => groundTruthMask({ mask: { height: 3, width: 2, data: new Uint8Array(6) } }, 2, 2)).toThrow(/2 x 3 .*must be 2 x 2/);
    expect(() => groundTruthMask({ boxes: [{ x0: 10, y0: 10, x1: 20, y1: 20 }] }, 5, 5)).toThrow(/lies outside the 5 x 5/);
    expect(() => groundTruthMask({ mask: { height: 2, width: 2, data: new Uint8Array(4) } }, 2, 2)).toThrow(/ground-truth mask is empty/);
  });
});
