import { describe, expect, it } from 'vitest';
import type { AnnotationShape } from '../../../../src/shared/contract/annotations';
import { shapeBounds } from '../../../../src/renderer/src/lib/annotations/geometry';
import {
  clampPoint,
  clampTranslation,
  handleCursor,
  handlesOf,
  moveWithin,
  nudgeFor,
  resizeShape,
  sameShape,
  translateShape,
} from '../../../../src/renderer/src/lib/annotations/transform';

const image = { width: 200, height: 100 };
const box: AnnotationShape = { kind: 'box', x0: 20, y0: 10, x1: 60, y1: 40 };
const arrow: AnnotationShape = { kind: 'arrow', from: [10, 10], to: [50, 30] };
const outline: AnnotationShape = { kind: 'freehand', points: [[10, 10], [30, 10], [30, 50], [10, 30]] };
const note: AnnotationShape = { kind: 'text', at: [100, 50] };

describe('moving annotations', () => {
  it('translates every kind by (dx, dy)', () => {
    expect(translateShape(box, 5, -3)).toEqual({ kind: 'box', x0: 25, y0: 7, x1: 65, y1: 37 });
    expect(translateShape(arrow, 5, -3)).toEqual({ kind: 'arrow', from: [15, 7], to: [55, 27] });
    expect(translateShape(outline, 1, 2)).toEqual({ kind: 'freehand', points: [[11, 12], [31, 12], [31, 52], [11, 32]] });
    expect(translateShape(note, -100, -50)).toEqual({ kind: 'text', at: [0, 0] });
  });

  it('stops at the image edges, per axis, keeping the shape whole and its size', () => {
    // 500 px right and 500 down: as far as the image allows (x1 = 200, y1 = 100).
    expect(moveWithin(box, 500, 500, image)).toEqual({ kind: 'box', x0: 160, y0: 70, x1: 200, y1: 100 });
    expect(moveWithin(box, -500, 5, image)).toEqual({ kind: 'box', x0: 0, y0: 15, x1: 40, y1: 45 });
    // An arrow pointing up-left is bounded by its bounds, not by its from/to order.
    const back: AnnotationShape = { kind: 'arrow', from: [150, 80], to: [120, 20] };
    expect(moveWithin(back, 100, -100, image)).toEqual({ kind: 'arrow', from: [200, 60], to: [170, 0] });
    expect(moveWithin(note, 1000, 1000, image)).toEqual({ kind: 'text', at: [200, 100] });
    const moved = moveWithin(outline, -50, 80, image);
    expect(shapeBounds(moved)).toEqual({ x0: 0, y0: 60, x1: 20, y1: 100 });
    // Within the image, a move is exactly the move asked for.
    expect(clampTranslation(box, 12.5, -7.25, image)).toEqual([12.5, -7.25]);
  });

  it('a shape drawn past the edge may only move back in, and one larger than the image keeps a side in', () => {
    const past: AnnotationShape = { kind: 'box', x0: -10, y0: 10, x1: 30, y1: 20 };
    // Moving further out is cut to the least inward move (it comes back inside).
    expect(clampTranslation(past, -5, 0, image)).toEqual([10, 0]);
    expect(clampTranslation(past, 50, 0, image)).toEqual([50, 0]);
    const wide: AnnotationShape = { kind: 'box', x0: -10, y0: 0, x1: 230, y1: 10 };
    // 240 px wide in a 200 px image: moves only as far as one of its sides reaches the edge.
    expect(clampTranslation(wide, 100, 0, image)).toEqual([10, 0]);
    expect(clampTranslation(wide, -100, 0, image)).toEqual([-30, 0]);
  });

  it('arrow keys nudge 1 image pixel, 10 with Shift; other keys none', () => {
    expect(nudgeFor('ArrowLeft', false)).toEqual([-1, 0]);
    expect(nudgeFor('ArrowRight', true)).toEqual([10, 0]);
    expect(nudgeFor('ArrowUp', false)).toEqual([0, -1]);
    expect(nudgeFor('ArrowDown', true)).toEqual([0, 10]);
    expect(nudgeFor('a', false)).toBeNull();
  });
});

describe('resizing annotations', () => {
  it('a box has eight handles on its corners and edge midpoints; an arrow its two ends; a note none', () => {
    expect(handlesOf(box)).toEqual([
      { handle: 'nw', at: [20, 10] },
      { handle: 'n', at: [40, 10] },
      { handle: 'ne', at: [60, 10] },
      { handle: 'e', at: [60, 25] },
      { handle: 'se', at: [60, 40] },
      { handle: 's', at: [40, 40] },
      { handle: 'sw', at: [20, 40] },
      { handle: 'w', at: [20, 25] },
    ]);
    expect(handlesOf(arrow)).toEqual([
      { handle: 'from', at: [10, 10] },
      { handle: 'to', at: [50, 30] },
    ]);
    expect(handlesOf(outline).map((h) => h.at)).toContainEqual([30, 50]);
    expect(handlesOf(note)).toEqual([]);
    expect(handleCursor('nw')).toBe('nwse-resize');
    expect(handleCursor('e')).toBe('ew-resize');
    expect(handleCursor('to')).toBe('move');
  });

  it('a box follows its corner and edge handles; an edge moves one coordinate only', () => {
    expect(resizeShape(box, 'se', [100, 80], image)).toEqual({ kind: 'box', x0: 20, y0: 10, x1: 100, y1: 80 });
    expect(resizeShape(box, 'nw', [0, 0], image)).toEqual({ kind: 'box', x0: 0, y0: 0, x1: 60, y1: 40 });
    expect(resizeShape(box, 'n', [999, 5], image)).toEqual({ kind: 'box', x0: 20, y0: 5, x1: 60, y1: 40 });
    expect(resizeShape(box, 'w', [30, 999], image)).toEqual({ kind: 'box', x0: 30, y0: 10, x1: 60, y1: 40 });
    // Dragged past the opposite corner: the box flips and stays normalised.
    expect(resizeShape(box, 'se', [5, 2], image)).toEqual({ kind: 'box', x0: 5, y0: 2, x1: 20, y1: 10 });
    // Clamped to the image.
    expect(resizeShape(box, 'ne', [300, -40], image)).toEqual({ kind: 'box', x0: 20, y0: 0, x1: 200, y1: 40 });
  });

  it('an arrow moves the dragged end only, clamped to the image', () => {
    expect(resizeShape(arrow, 'to', [120, 90], image)).toEqual({ kind: 'arrow', from: [10, 10], to: [120, 90] });
    expect(resizeShape(arrow, 'from', [-5, 500], image)).toEqual({ kind: 'arrow', from: [0, 100], to: [50, 30] });
    // A box handle means nothing to an arrow (nor an arrow's to a box).
    expect(resizeShape(arrow, 'se', [1, 1], image)).toBe(arrow);
    expect(resizeShape(box, 'to', [1, 1], image)).toBe(box);
  });

  it('an outline scales between its fixed side and the handle (each point mapped linearly)', () => {
    // Bounds 10..30 x 10..50; the se handle to (50, 90) doubles it about (10, 10).
    const scaled = resizeShape(outline, 'se', [50, 90], image);
    expect(scaled).toEqual({ kind: 'freehand', points: [[10, 10], [50, 10], [50, 90], [10, 50]] });
    // The e edge only: x scales, y stays.
    expect(resizeShape(outline, 'e', [20, 0], image)).toEqual({ kind: 'freehand', points: [[10, 10], [20, 10], [20, 50], [10, 30]] });
    // Past the fixed side it mirrors; the new bounds are what the handle and the fixed side span.
    const mirrored = resizeShape(outline, 'w', [40, 0], image);
    expect(shapeBounds(mirrored)).toEqual({ x0: 30, y0: 10, x1: 40, y1: 50 });
    expect(mirrored.kind === 'freehand' && mirrored.points[0]).toEqual([40, 10]);
    // A straight horizontal stroke has no height to scale: a vertical handle leaves it; a side one still scales x.
    const flat: AnnotationShape = { kind: 'freehand', points: [[0, 20], [40, 20]] };
    expect(resizeShape(flat, 's', [0, 30], image)).toEqual(flat);
    expect(resizeShape(flat, 'se', [80, 60], image)).toEqual({ kind: 'freehand', points: [[0, 20], [80, 20]] });
  });

  it('a note is not resized; clampPoint keeps a point in the image; sameShape compares content', () => {
    expect(resizeShape(note, 'se', [1, 1], image)).toBe(note);
    expect(clampPoint([-3, 250], image)).toEqual([0, 100]);
    expect(clampPoint([12.5, 7], image)).toEqual([12.5, 7]);
    expect(sameShape(box, { kind: 'box', x0: 20, y0: 10, x1: 60, y1: 40 })).toBe(true);
    expect(sameShape(box, translateShape(box, 1, 0))).toBe(false);
  });
});
