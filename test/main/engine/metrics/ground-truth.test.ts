import { describe, expect, it } from 'vitest';
import { boxesToMask, groundTruthMask } from '../../../../src/main/engine/metrics/ground-truth';

describe('ground truth', () => {
  it('boxes become a mask (x1, y1 exclusive), clipped to the image', () => {
    const mask = boxesToMask([{ x0: 1, y0: 0, x1: 3, y1: 2 }, { x0: 3, y0: 2, x1: 9, y1: 9 }], 3, 4);
    expect(Array.from(mask)).toEqual([0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1]);
  });

  it('a mask and boxes combine; the mask must have the model input size', () => {
    const truth = { boxes: [{ x0: 0, y0: 0, x1: 1, y1: 1 }], mask: { height: 2, width: 2, data: Uint8Array.from([0, 0, 0, 255]) } };
    expect(Array.from(groundTruthMask(truth, 2, 2))).toEqual([1, 0, 0, 1]);
    expect(() => groundTruthMask({ mask: { height: 3, width: 2, data: new Uint8Array(6) } }, 2, 2)).toThrow(/2 x 3 .*must be 2 x 2/);
  });

  it('boxes outside the image, empty boxes and empty masks are clear errors', () => {
    expect(() => boxesToMask([{ x0: 10, y0: 10, x1: 20, y1: 20, label: 'marker' }], 5, 5)).toThrow(/Box 1 \("marker"\) \[10, 10, 20, 20\] lies outside the 5 x 5 model input/);
    expect(() => boxesToMask([{ x0: 3, y0: 1, x1: 3, y1: 4 }], 5, 5)).toThrow(/empty or malformed/);
    expect(() => groundTruthMask({ mask: { height: 2, width: 2, data: new Uint8Array(4) } }, 2, 2)).toThrow(/ground-truth mask is empty/);
  });
});
