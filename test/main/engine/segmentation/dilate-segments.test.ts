import { describe, expect, it } from 'vitest';
import { dilateSegments } from '../../../../src/main/engine/segmentation/dilate-segments';
import { resizeLabels } from '../../../../src/main/engine/segmentation/resize-labels';
import { Rng } from '../../../../src/main/engine/random/rng';

/** Dilation by brute force: every pixel within distance r (x² + y² <= r²) of a segment pixel. */
function bruteForce(labels: Int32Array, label: number, H: number, W: number, r: number): number[] {
  const out: number[] = [];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let hit = false;
      for (let dy = -r; dy <= r && !hit; dy++) {
        for (let dx = -r; dx <= r && !hit; dx++) {
          const [yy, xx] = [y + dy, x + dx];
          hit = dx * dx + dy * dy <= r * r && yy >= 0 && yy < H && xx >= 0 && xx < W && labels[yy * W + xx] === label;
        }
      }
      if (hit) out.push(y * W + x);
    }
  }
  return out;
}

describe('segment dilation by a disk', () => {
  it('equals brute-force dilation on random blobs, at the borders too', () => {
    const [H, W] = [23, 31];
    const rng = new Rng(4);
    // Blocky random labels: 4 x 4 cells with one of 5 labels, so segments are ragged and disconnected.
    const labels = Int32Array.from({ length: H * W }, () => 0);
    const cells = Array.from({ length: 6 * 8 }, () => Math.floor(rng.uniform() * 5));
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) labels[y * W + x] = cells[Math.floor(y / 4) * 8 + Math.floor(x / 4)]!;
    for (const radius of [0, 1, 2, 5]) {
      const masks = dilateSegments({ labels, count: 5 }, H, W, radius);
      masks.forEach((mask, label) => expect(Array.from(mask), `label ${label} radius ${radius}`).toEqual(bruteForce(labels, label, H, W, radius)));
    }
  });

  it('radius 5 is scikit-image’s disk(5): 81 pixels around a single point', () => {
    const labels = new Int32Array(21 * 21);
    labels[10 * 21 + 10] = 1;
    expect(dilateSegments({ labels, count: 2 }, 21, 21, 5)[1]!.length).toBe(81);
  });

  it('rejects a negative radius and a label map of the wrong size', () => {
    expect(() => dilateSegments({ labels: new Int32Array(4), count: 1 }, 2, 2, -1)).toThrow(/radius/);
    expect(() => dilateSegments({ labels: new Int32Array(5), count: 1 }, 2, 2, 1)).toThrow(/5 pixels/);
  });
});

describe('nearest-neighbour label resizing', () => {
  it('samples pixel centres: 4 -> 2 takes columns 1 and 3 (0-based), 2 -> 4 repeats', () => {
    const labels = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(Array.from(resizeLabels({ labels, count: 16 }, 4, 4, 2, 2).labels)).toEqual([5, 7, 13, 15]);
    expect(Array.from(resizeLabels({ labels: Int32Array.from([1, 2, 3, 4]), count: 5 }, 2, 2, 4, 4).labels)).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });
});
