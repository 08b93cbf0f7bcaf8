import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../../../src/main/engine/segmentation/adjusted-rand-index';
import { felzenszwalb } from '../../../../src/main/engine/segmentation/felzenszwalb';
import { fixtureSamples, samplePixels, segmentationFixture } from './fixtures';

const scales = [50, 100, 150, 250, 500, 1200];

describe('Felzenszwalb segmentation against scikit-image 0.19', () => {
  // XRAI's parameters: sigma 0.8, min_size 150, the image in [-1, 1] at 224 x 224.
  it.each(fixtureSamples)('%s: the label maps are identical at every XRAI scale (adjusted Rand index 1)', (name) => {
    const image = samplePixels(name);
    const scores: string[] = [];
    for (const scale of scales) {
      const reference = segmentationFixture(`${name}.fz-${scale}`);
      const ours = felzenszwalb(image, { scale, sigma: 0.8, minSize: 150 });
      const ari = adjustedRandIndex(ours.labels, reference.data as Int32Array);
      scores.push(`${scale}: ${ari.toFixed(4)} (${ours.count} vs ${new Set(reference.data as Int32Array).size} segments)`);
      expect(ari, `${name} scale ${scale}`).toBe(1);
      // Not only the same partition: the same label numbers, pixel for pixel.
      expect(Buffer.from(ours.labels.buffer).equals(Buffer.from((reference.data as Int32Array).buffer)), `${name} scale ${scale}`).toBe(true);
    }
    console.info(`felzenszwalb ${name}: ${scores.join(', ')}`);
  });

  it('labels are 0 .. count - 1 in raster order of first appearance', () => {
    const { labels, count } = felzenszwalb(samplePixels('coffee'), { scale: 500, sigma: 0.8, minSize: 150 });
    let next = 0;
    for (const l of labels) {
      expect(l).toBeLessThanOrEqual(next);
      if (l === next) next++;
    }
    expect(next).toBe(count);
  });

  it('a constant image is one segment; min_size merges small segments away', () => {
    const flat = { data: new Float32Array(20 * 30 * 3).fill(0.5), width: 30, height: 20, channels: 3 };
    expect(felzenszwalb(flat, { scale: 1, sigma: 0.8, minSize: 0 }).count).toBe(1);
    // Two halves of very different colour stay apart; a 2 x 2 speck inside one half is merged at min_size 10.
    const data = new Float32Array(20 * 30);
    for (let y = 0; y < 20; y++) for (let x = 0; x < 30; x++) data[y * 30 + x] = x < 15 ? 0 : 1;
    data[5 * 30 + 5] = data[5 * 30 + 6] = data[6 * 30 + 5] = data[6 * 30 + 6] = 1;
    const halves = felzenszwalb({ data, width: 30, height: 20, channels: 1 }, { scale: 1, sigma: 0, minSize: 10 });
    expect(halves.count).toBe(2);
    expect(halves.labels[0]).not.toBe(halves.labels[29]);
    expect(halves.labels[5 * 30 + 5]).toBe(halves.labels[0]);
    expect(felzenszwalb({ data, width: 30, height: 20, channels: 1 }, { scale: 1, sigma: 0, minSize: 0 }).count).toBe(3);
  });

  it('rejects bad images and parameters with clear errors', () => {
    const image = { data: new Float32Array(12), width: 2, height: 2, channels: 3 };
    expect(() => felzenszwalb({ ...image, data: new Float32Array(5) }, { scale: 1, sigma: 0.8, minSize: 1 })).toThrow(/12|values/);
    const nan = new Float32Array(12);
    nan[3] = Number.NaN;
    expect(() => felzenszwalb({ ...image, data: nan }, { scale: 1, sigma: 0.8, minSize: 1 })).toThrow(/non-finite/);
    expect(() => felzenszwalb(image, { scale: -1, sigma: 0.8, minSize: 1 })).toThrow(/scale/);
  });
});
