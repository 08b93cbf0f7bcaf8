import { describe, expect, it } from 'vitest';
import { planGeometry } from '../../../../src/shared/image-geometry';
import type { Pixels } from '../../../../src/main/engine/image/resample';
import { toTensor } from '../../../../src/main/engine/image/to-tensor';
import { ModelCard, type ModelCard as Card } from '../../../../src/shared/model-card';

/** 2 x 2 RGB pixels, row-major: (255,0,51) (0,255,102) / (10,20,30) (200,100,0). */
const rgb: Pixels = { width: 2, height: 2, channels: 3, bitDepth: 8, data: new Uint8Array([255, 0, 51, 0, 255, 102, 10, 20, 30, 200, 100, 0]) };

function card(overrides: { layout?: 'NCHW' | 'NHWC'; color?: 'RGB' | 'BGR' | 'GRAY'; scale?: number; mean?: number[]; std?: number[] }): Card {
  return ModelCard.parse({
    name: 't',
    input: { name: 'x', layout: overrides.layout ?? 'NCHW', height: 2, width: 2, color: overrides.color ?? 'RGB' },
    preprocess: { resize: { mode: 'stretch' }, interpolation: 'linear', scale: overrides.scale ?? 1, mean: overrides.mean ?? [0.5], std: overrides.std ?? [0.5] },
    output: { name: 'y', kind: 'logits', labels: [] },
  });
}

const plan = planGeometry({ width: 2, height: 2 }, { width: 2, height: 2 }, { mode: 'stretch' });

function expectClose(actual: ArrayLike<number>, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, 5));
}

describe('toTensor', () => {
  it('NCHW, mean = std = 0.5: x = 2p/255 - 1, channel planes in RGB order', () => {
    const f = (p: number): number => (2 * p) / 255 - 1;
    expectClose(toTensor(rgb, card({}), plan), [
      f(255), f(0), f(10), f(200), // R plane, row-major
      f(0), f(255), f(20), f(100), // G
      f(51), f(102), f(30), f(0), // B
    ]);
  });

  it('NHWC interleaves channels per pixel', () => {
    const f = (p: number): number => (2 * p) / 255 - 1;
    expectClose(toTensor(rgb, card({ layout: 'NHWC' }), plan), [f(255), f(0), f(51), f(0), f(255), f(102), f(10), f(20), f(30), f(200), f(100), f(0)]);
  });

  it('torchvision ImageNet mean/std per channel', () => {
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    const t = toTensor(rgb, card({ mean, std }), plan);
    expect(t[0]).toBeCloseTo((255 / 255 - 0.485) / 0.229, 5); // R of pixel (0,0)
    expect(t[4 + 1]).toBeCloseTo((255 / 255 - 0.456) / 0.224, 5); // G of pixel (0,1)
    expect(t[8 + 3]).toBeCloseTo((0 / 255 - 0.406) / 0.225, 5); // B of pixel (1,1)
  });

  it('Caffe style: BGR order, pixels in 0..255 (scale 255), means in BGR order, std 1', () => {
    const t = toTensor(rgb, card({ color: 'BGR', scale: 255, mean: [103.939, 116.779, 123.68], std: [1] }), plan);
    expectClose(t.subarray(0, 4), [51 - 103.939, 102 - 103.939, 30 - 103.939, 0 - 103.939]);
    expect(t[4]).toBeCloseTo(0 - 116.779, 4); // G of (0,0)
    expect(t[8]).toBeCloseTo(255 - 123.68, 4); // R of (0,0)
  });

  it('colour image into a grayscale model uses BT.601 luma', () => {
    const t = toTensor(rgb, card({ color: 'GRAY', mean: [0], std: [1] }), plan);
    expectClose(t, [
      (0.299 * 255 + 0.587 * 0 + 0.114 * 51) / 255,
      (0.299 * 0 + 0.587 * 255 + 0.114 * 102) / 255,
      (0.299 * 10 + 0.587 * 20 + 0.114 * 30) / 255,
      (0.299 * 200 + 0.587 * 100 + 0.114 * 0) / 255,
    ]);
  });

  it('grayscale image into a colour model repeats the gray value in every channel', () => {
    const gray: Pixels = { width: 2, height: 2, channels: 1, bitDepth: 8, data: new Uint8Array([0, 51, 102, 255]) };
    const t = toTensor(gray, card({ mean: [0], std: [1] }), plan);
    expectClose(t, [0, 0.2, 0.4, 1, 0, 0.2, 0.4, 1, 0, 0.2, 0.4, 1]);
  });

  it('16-bit samples are scaled by 65535', () => {
    const gray16: Pixels = { width: 2, height: 2, channels: 1, bitDepth: 16, data: new Uint16Array([0, 1000, 30000, 65535]) };
    const t = toTensor(gray16, card({ color: 'GRAY', mean: [0], std: [1] }), plan);
    expectClose(t, [0, 1000 / 65535, 30000 / 65535, 1]);
  });

  it('letterbox padding holds the normalised fill value', () => {
    const c = ModelCard.parse({ ...card({ mean: [0.5], std: [0.5] }), preprocess: { ...card({}).preprocess, resize: { mode: 'letterbox', fill: 0 } } });
    const one: Pixels = { width: 2, height: 1, channels: 3, bitDepth: 8, data: new Uint8Array([255, 255, 255, 255, 255, 255]) };
    const p = planGeometry({ width: 2, height: 1 }, { width: 2, height: 2 }, { mode: 'letterbox', fill: 0 });
    expect(p.offset).toEqual({ left: 0, top: 0 });
    const t = toTensor(one, c, p);
    // Row 0 is the image (white -> 1), row 1 is padding (fill 0 -> -1), in every channel.
    expectClose(t, [1, 1, -1, -1, 1, 1, -1, -1, 1, 1, -1, -1]);
  });
});
