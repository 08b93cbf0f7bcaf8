import type { AnnotationShape } from '../../../../shared/contract/annotations';
import { shapeBounds, type Bounds, type Point, type Size } from './geometry';

/**
 * Moving and resizing annotations, in IMAGE pixels, kept inside the image. Pure functions: the
 * layer feeds them pointer positions (already converted to image pixels) and keys.
 *
 * A box has eight handles (corners and edge midpoints), an arrow one at each end, a free-hand
 * outline the eight of its bounding box (dragging one scales the outline, the opposite side
 * staying put), a text note none (it is only moved).
 */

export type BoxHandle = 'nw' | 'n' | 'ne' | 'e' | 'se' | 's' | 'sw' | 'w';
export type ArrowHandle = 'from' | 'to';
export type ResizeHandle = BoxHandle | ArrowHandle;

export const boxHandles: readonly BoxHandle[] = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'];

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

/** A point kept inside the image (0…width, 0…height). */
export function clampPoint(p: Point, image: Size): Point {
  return [clamp(p[0], 0, image.width), clamp(p[1], 0, image.height)];
}

/** The shape moved by (dx, dy). */
export function translateShape(shape: AnnotationShape, dx: number, dy: number): AnnotationShape {
  const move = (p: Point): Point => [p[0] + dx, p[1] + dy];
  switch (shape.kind) {
    case 'box':
      return { kind: 'box', x0: shape.x0 + dx, y0: shape.y0 + dy, x1: shape.x1 + dx, y1: shape.y1 + dy };
    case 'arrow':
      return { kind: 'arrow', from: move(shape.from), to: move(shape.to) };
    case 'freehand':
      return { kind: 'freehand', points: shape.points.map(move) };
    case 'text':
      return { kind: 'text', at: move(shape.at) };
  }
}

/**
 * The part of a move along one axis that keeps [lo, hi] inside [0, size]. A shape that already
 * sticks out (drawn past the edge, or larger than the image) may move only towards the inside.
 */
function clampOffset(offset: number, lo: number, hi: number, size: number): number {
  const least = -lo;
  const most = size - hi;
  if (least <= most) return clamp(offset, least, most);
  // Out on both sides or on one: moving inward is allowed up to where it is as far in as it gets.
  return clamp(offset, Math.min(0, most), Math.max(0, least));
}

/** (dx, dy) cut so that the moved shape's bounds stay inside the image. */
export function clampTranslation(shape: AnnotationShape, dx: number, dy: number, image: Size): [number, number] {
  const b = shapeBounds(shape);
  return [clampOffset(dx, b.x0, b.x1, image.width), clampOffset(dy, b.y0, b.y1, image.height)];
}

/** The shape moved by (dx, dy), as far as the image allows. */
export function moveWithin(shape: AnnotationShape, dx: number, dy: number, image: Size): AnnotationShape {
  const [cx, cy] = clampTranslation(shape, dx, dy, image);
  return translateShape(shape, cx, cy);
}

/** The move an arrow key asks for: 1 image pixel, 10 with Shift; null for another key. */
export function nudgeFor(key: string, shift: boolean): [number, number] | null {
  const step = shift ? 10 : 1;
  switch (key) {
    case 'ArrowLeft':
      return [-step, 0];
    case 'ArrowRight':
      return [step, 0];
    case 'ArrowUp':
      return [0, -step];
    case 'ArrowDown':
      return [0, step];
    default:
      return null;
  }
}

/** Where a box handle sits on bounds. */
export function boxHandlePoint(b: Bounds, handle: BoxHandle): Point {
  const cx = (b.x0 + b.x1) / 2;
  const cy = (b.y0 + b.y1) / 2;
  const x = handle.includes('w') ? b.x0 : handle.includes('e') ? b.x1 : cx;
  const y = handle.startsWith('n') ? b.y0 : handle.startsWith('s') ? b.y1 : cy;
  return [x, y];
}

/** The handles of a shape and where they are (image pixels); a text note has none. */
export function handlesOf(shape: AnnotationShape): { handle: ResizeHandle; at: Point }[] {
  switch (shape.kind) {
    case 'arrow':
      return [
        { handle: 'from', at: shape.from },
        { handle: 'to', at: shape.to },
      ];
    case 'box':
    case 'freehand': {
      const b = shapeBounds(shape);
      return boxHandles.map((handle) => ({ handle, at: boxHandlePoint(b, handle) }));
    }
    case 'text':
      return [];
  }
}

/** Bounds with the edges a handle holds moved to `p` (not normalised: dragging past the far side flips). */
function dragBounds(b: Bounds, handle: BoxHandle, p: Point): Bounds {
  const out = { ...b };
  if (handle.includes('w')) out.x0 = p[0];
  if (handle.includes('e')) out.x1 = p[0];
  if (handle.startsWith('n')) out.y0 = p[1];
  if (handle.startsWith('s')) out.y1 = p[1];
  return out;
}

/** One coordinate mapped from [a0, a1] to [b0, b1]; a zero-length source (a straight line along the other axis) has nothing to scale and stays. */
function rescale(v: number, a0: number, a1: number, b0: number, b1: number): number {
  return a1 === a0 ? v : b0 + ((v - a0) * (b1 - b0)) / (a1 - a0);
}

/**
 * The shape with one handle dragged to `p` (image pixels, kept inside the image). A box's edges
 * follow the handle and the box is normalised (dragging a corner past the opposite one flips it);
 * an arrow's end moves; a free-hand outline is scaled between its fixed side and the handle (past
 * the fixed side it is mirrored). Another handle for the shape's kind leaves it unchanged.
 */
export function resizeShape(shape: AnnotationShape, handle: ResizeHandle, p: Point, image: Size): AnnotationShape {
  const at = clampPoint(p, image);
  switch (shape.kind) {
    case 'arrow':
      if (handle === 'from') return { kind: 'arrow', from: at, to: shape.to };
      if (handle === 'to') return { kind: 'arrow', from: shape.from, to: at };
      return shape;
    case 'box': {
      if (handle === 'from' || handle === 'to') return shape;
      const b = dragBounds(shapeBounds(shape), handle, at);
      return { kind: 'box', x0: Math.min(b.x0, b.x1), y0: Math.min(b.y0, b.y1), x1: Math.max(b.x0, b.x1), y1: Math.max(b.y0, b.y1) };
    }
    case 'freehand': {
      if (handle === 'from' || handle === 'to') return shape;
      const from = shapeBounds(shape);
      const to = dragBounds(from, handle, at);
      return { kind: 'freehand', points: shape.points.map(([x, y]) => [rescale(x, from.x0, from.x1, to.x0, to.x1), rescale(y, from.y0, from.y1, to.y0, to.y1)]) };
    }
    case 'text':
      return shape;
  }
}

/** Whether two shapes are the same (an edit that changes nothing is not saved nor recorded). */
export function sameShape(a: AnnotationShape, b: AnnotationShape): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The CSS cursor for a handle. */
export function handleCursor(handle: ResizeHandle): string {
  switch (handle) {
    case 'n':
    case 's':
      return 'ns-resize';
    case 'e':
    case 'w':
      return 'ew-resize';
    case 'nw':
    case 'se':
      return 'nwse-resize';
    case 'ne':
    case 'sw':
      return 'nesw-resize';
    default:
      return 'move';
  }
}
