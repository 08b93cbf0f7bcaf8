import { describe, expect, it } from 'vitest';
import {
  clientToImage,
  imagePixelsPerScreenPixel,
  imageToPreview,
  isTooSmall,
  normaliseBox,
  polylinePath,
  popoverAnchor,
  previewToImage,
  roundShape,
  shapeBounds,
  simplifyFreehand,
  simplifyPath,
  type Point,
} from '../../../../src/renderer/src/lib/annotations/geometry';
import { AnnotationShape } from '../../../../src/shared/contract/annotations';
import { annotationsText, shortTime } from '../../../../src/renderer/src/lib/text/annotations';

// A 2048 x 1536 image shown as a 1024 x 768 preview.
const image = { width: 2048, height: 1536, preview: { width: 1024, height: 768 } };

describe('preview <-> image coordinates', () => {
  it('scales by image / preview, and back', () => {
    expect(previewToImage([100, 50], image)).toEqual([200, 100]);
    expect(imageToPreview([200, 100], image)).toEqual([100, 50]);
    const odd = { width: 333, height: 777, preview: { width: 100, height: 233 } };
    const [x, y] = imageToPreview(previewToImage([37.5, 91.25], odd), odd);
    expect(x).toBeCloseTo(37.5, 9);
    expect(y).toBeCloseTo(91.25, 9);
  });

  it('reads a pointer against the on-screen box, whatever the zoom and pan', () => {
    // The preview drawn at 3x, its top-left 40 px left of and 10 px below the window's corner.
    const rect = { left: -40, top: 10, width: 3072, height: 2304 };
    expect(clientToImage({ clientX: -40, clientY: 10 }, rect, image)).toEqual([0, 0]);
    expect(clientToImage({ clientX: -40 + 1536, clientY: 10 + 1152 }, rect, image)).toEqual([1024, 768]);
    // Outside the image: kept as is (a box may start past the edge).
    expect(clientToImage({ clientX: -100, clientY: 0 }, rect, image)).toEqual([-40, -20 / 3]);
    expect(imagePixelsPerScreenPixel(rect, image)).toBeCloseTo(2048 / 3072, 12);
  });

  it('an element not laid out (no size) gives no position rather than NaN or Infinity', () => {
    expect(clientToImage({ clientX: 5, clientY: 5 }, { left: 0, top: 0, width: 0, height: 0 }, image)).toBeNull();
    expect(imagePixelsPerScreenPixel({ left: 0, top: 0, width: 0, height: 0 }, image)).toBe(1);
  });
});

describe('normaliseBox', () => {
  it('orders the corners, whichever way the box was dragged', () => {
    const expected = { kind: 'box', x0: 10, y0: 20, x1: 50, y1: 80 };
    expect(normaliseBox([10, 20], [50, 80])).toEqual(expected);
    expect(normaliseBox([50, 80], [10, 20])).toEqual(expected);
    expect(normaliseBox([50, 20], [10, 80])).toEqual(expected);
    expect(normaliseBox([10, 80], [50, 20])).toEqual(expected);
  });
});

describe('simplifyPath (Ramer–Douglas–Peucker)', () => {
  it('keeps the ends, drops points closer than the tolerance to the line, keeps the corners', () => {
    const path: Point[] = [
      [0, 0],
      [1, 0.1],
      [2, -0.1],
      [3, 0],
      [3.1, 1],
      [3, 2],
      [3, 3],
    ];
    expect(simplifyPath(path, 0.5)).toEqual([
      [0, 0],
      [3, 0],
      [3, 3],
    ]);
    // A tolerance below every deviation keeps every point.
    expect(simplifyPath(path, 0.01)).toEqual(path);
  });

  it('drops consecutive duplicates, and leaves short paths alone', () => {
    expect(simplifyPath([], 1)).toEqual([]);
    expect(simplifyPath([[1, 1]], 1)).toEqual([[1, 1]]);
    expect(
      simplifyPath(
        [
          [1, 1],
          [1, 1],
          [2, 2],
          [2, 2],
        ],
        1,
      ),
    ).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('no dropped point is further than the tolerance from the simplified line', () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const path: Point[] = Array.from({ length: 3000 }, (_, i) => [i * 0.3 + random() * 2, Math.sin(i / 90) * 200 + random() * 2]);
    const tolerance = 1.5;
    const simple = simplifyPath(path, tolerance);
    expect(simple.length).toBeLessThan(path.length / 5);
    expect(simple[0]).toEqual(path[0]);
    expect(simple.at(-1)).toEqual(path.at(-1));
    // The kept points are a subsequence of the path; every point between two kept ones lies
    // within the tolerance of the segment joining them.
    const kept: number[] = [];
    let from = 0;
    for (const p of simple) {
      while (path[from]![0] !== p[0] || path[from]![1] !== p[1]) from++;
      kept.push(from);
    }
    for (let k = 0; k + 1 < kept.length; k++) {
      const a = path[kept[k]!]!;
      const b = path[kept[k + 1]!]!;
      for (let i = kept[k]! + 1; i < kept[k + 1]!; i++) {
        const p = path[i]!;
        const dx = b[0] - a[0];
        const dy = b[1] - a[1];
        const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)));
        expect(Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy))).toBeLessThanOrEqual(tolerance);
      }
    }
  });

  it('a path that keeps every point (the deepest split) neither overflows the stack nor takes long', () => {
    const path: Point[] = Array.from({ length: 12_000 }, (_, i) => [i, i % 2 === 0 ? 0 : 5]);
    const started = performance.now();
    expect(simplifyPath(path, 1)).toHaveLength(12_000);
    expect(performance.now() - started).toBeLessThan(5000);
    // An exponential curve: each split peels one point off the end (recursion would be 20 000 deep).
    const curve: Point[] = Array.from({ length: 20_000 }, (_, i) => [i, Math.exp(i / 400)]);
    expect(simplifyPath(curve, 0.5).length).toBeGreaterThan(2);
  });
});

describe('simplifyFreehand', () => {
  it('thousands of pointer samples become a few hundred points at most, within the contract', () => {
    // A wiggly circle traced with 5000 samples.
    const path: Point[] = Array.from({ length: 5000 }, (_, i) => {
      const a = (i / 5000) * Math.PI * 2;
      const r = 300 + 20 * Math.sin(a * 40);
      return [1000 + r * Math.cos(a), 700 + r * Math.sin(a)];
    });
    const simple = simplifyFreehand(path, 1)!;
    expect(simple.length).toBeGreaterThanOrEqual(2);
    expect(simple.length).toBeLessThanOrEqual(500);
    expect(AnnotationShape.safeParse({ kind: 'freehand', points: simple }).success).toBe(true);
    // A capped budget raises the tolerance until it fits.
    expect(simplifyFreehand(path, 0.01, 50)!.length).toBeLessThanOrEqual(50);
  });

  it('a stroke without two distinct points is no stroke', () => {
    expect(simplifyFreehand([[3, 3]], 1)).toBeNull();
    expect(
      simplifyFreehand(
        [
          [3, 3],
          [3, 3],
        ],
        1,
      ),
    ).toBeNull();
  });
});

describe('shape helpers', () => {
  it('bounds of each kind', () => {
    expect(shapeBounds({ kind: 'box', x0: 9, y0: 8, x1: 1, y1: 2 })).toEqual({ x0: 1, y0: 2, x1: 9, y1: 8 });
    expect(shapeBounds({ kind: 'arrow', from: [5, 1], to: [2, 7] })).toEqual({ x0: 2, y0: 1, x1: 5, y1: 7 });
    expect(
      shapeBounds({
        kind: 'freehand',
        points: [
          [4, 4],
          [-1, 6],
          [3, 0],
        ],
      }),
    ).toEqual({ x0: -1, y0: 0, x1: 4, y1: 6 });
    expect(shapeBounds({ kind: 'text', at: [3, 4] })).toEqual({ x0: 3, y0: 4, x1: 3, y1: 4 });
  });

  it('too small to be meant: a click is no box, no arrow, no stroke; a note is a point by nature', () => {
    expect(isTooSmall({ kind: 'box', x0: 0, y0: 0, x1: 2, y1: 50 }, 3)).toBe(true);
    expect(isTooSmall({ kind: 'box', x0: 0, y0: 0, x1: 4, y1: 4 }, 3)).toBe(false);
    expect(isTooSmall({ kind: 'arrow', from: [0, 0], to: [1, 1] }, 3)).toBe(true);
    expect(isTooSmall({ kind: 'arrow', from: [0, 0], to: [3, 3] }, 3)).toBe(false);
    expect(
      isTooSmall(
        {
          kind: 'freehand',
          points: [
            [0, 0],
            [1, 1],
          ],
        },
        3,
      ),
    ).toBe(true);
    expect(isTooSmall({ kind: 'text', at: [0, 0] }, 3)).toBe(false);
  });

  it('rounds coordinates to hundredths of an image pixel', () => {
    expect(roundShape({ kind: 'box', x0: 1.23456, y0: 2.005, x1: 3.999, y1: -0.004 })).toEqual({ kind: 'box', x0: 1.23, y0: 2.01, x1: 4, y1: -0 });
    expect(roundShape({ kind: 'arrow', from: [0.111, 0.119], to: [5, 5.5555] })).toEqual({ kind: 'arrow', from: [0.11, 0.12], to: [5, 5.56] });
    expect(roundShape({ kind: 'text', at: [1 / 3, 2 / 3] })).toEqual({ kind: 'text', at: [0.33, 0.67] });
  });

  it('polyline path data', () => {
    expect(
      polylinePath([
        [1, 2],
        [3.5, 4],
        [5, 6],
      ]),
    ).toBe('M1 2 L3.5 4 L5 6');
  });

  it('the editor opens towards the inside of the image', () => {
    // A box in the upper left: under it, left-aligned (preview pixels).
    expect(popoverAnchor({ kind: 'box', x0: 100, y0: 100, x1: 300, y1: 200 }, image)).toEqual({ x: 50, y: 100, above: false, alignRight: false });
    // In the lower right: above it, right-aligned.
    expect(popoverAnchor({ kind: 'box', x0: 1800, y0: 1300, x1: 1900, y1: 1400 }, image)).toEqual({ x: 950, y: 650, above: true, alignRight: true });
    // A box past the edge: the anchor stays on the image.
    expect(popoverAnchor({ kind: 'box', x0: -500, y0: -500, x1: -100, y1: -100 }, image)).toMatchObject({ x: 0, y: 0 });
  });
});

describe('annotation strings', () => {
  it('a shape is named by its kind and text', () => {
    expect(annotationsText.shapeName('box', '  Nodule, 8 mm ')).toBe('Box: Nodule, 8 mm');
    expect(annotationsText.shapeName('freehand', '')).toBe('Outline (no text)');
    expect(annotationsText.count(0)).toBe('No annotations');
    expect(annotationsText.count(1)).toBe('1 annotation');
    expect(annotationsText.count(3)).toBe('3 annotations');
  });

  it('times are short and local; anything unparseable is shown as stored', () => {
    expect(shortTime(new Date(2025, 0, 2, 9, 5).toISOString())).toBe('2025-01-02 09:05');
    expect(shortTime('then')).toBe('then');
  });
});
