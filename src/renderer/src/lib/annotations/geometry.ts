import type { AnnotationShape } from '../../../../shared/contract/annotations';

/**
 * Pure geometry of annotations. Shapes are stored in IMAGE pixels (the full-resolution image the
 * engine knows); the inspector shows a PREVIEW (at most 1024 px) inside a zoomed, panned stage.
 * These helpers convert between the two, and between the screen and the image.
 */

export type Point = [number, number];

export interface Size {
  width: number;
  height: number;
}

/** An image as the inspector knows it: its own size, and the size of the preview shown. */
export interface ImageGeometry extends Size {
  preview: Size;
}

/** The on-screen box of an element (what getBoundingClientRect gives, CSS transforms included). */
export interface ScreenRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Bounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A preview pixel position to image pixels. */
export function previewToImage(p: Point, image: ImageGeometry): Point {
  return [(p[0] * image.width) / image.preview.width, (p[1] * image.height) / image.preview.height];
}

/** An image pixel position to preview pixels. */
export function imageToPreview(p: Point, image: ImageGeometry): Point {
  return [(p[0] * image.preview.width) / image.width, (p[1] * image.preview.height) / image.height];
}

/**
 * A pointer position (client coordinates) to image pixels, given the on-screen box of an element
 * that covers exactly the whole image (the annotation layer's SVG). The box already includes any
 * zoom and pan of the stage, so this is right whatever the view's transform. Null when the element
 * has no size on screen (not laid out).
 */
export function clientToImage(client: { clientX: number; clientY: number }, rect: ScreenRect, image: Size): Point | null {
  if (!(rect.width > 0) || !(rect.height > 0)) return null;
  return [((client.clientX - rect.left) / rect.width) * image.width, ((client.clientY - rect.top) / rect.height) * image.height];
}

/** How many image pixels one screen pixel covers (at the element's current on-screen size); 1 when unknown. */
export function imagePixelsPerScreenPixel(rect: ScreenRect, image: Size): number {
  return rect.width > 0 ? image.width / rect.width : 1;
}

/** A box dragged from `a` to `b`, in any direction, with x0 < x1 and y0 < y1. */
export function normaliseBox(a: Point, b: Point): Extract<AnnotationShape, { kind: 'box' }> {
  return { kind: 'box', x0: Math.min(a[0], b[0]), y0: Math.min(a[1], b[1]), x1: Math.max(a[0], b[0]), y1: Math.max(a[1], b[1]) };
}

/** Squared distance from p to the segment a-b. */
function segmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  let t = length2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / length2;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = px - (ax + t * dx);
  const ey = py - (ay + t * dy);
  return ex * ex + ey * ey;
}

/**
 * Ramer–Douglas–Peucker: the fewest points of the path such that no dropped point is further than
 * `tolerance` (image pixels) from the simplified line. The first and last points are always kept;
 * consecutive duplicates are dropped first. Iterative (a stack, not recursion), so a path of tens
 * of thousands of pointer events cannot overflow the call stack. O(n log n) on a hand-drawn path;
 * O(n²) at worst (a zigzag whose every point matters).
 */
export function simplifyPath(points: readonly Point[], tolerance: number): Point[] {
  const unique: Point[] = [];
  for (const p of points) {
    const last = unique[unique.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) unique.push(p);
  }
  const n = unique.length;
  if (n <= 2) return unique.map((p) => [p[0], p[1]]);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  unique.forEach((p, i) => {
    xs[i] = p[0];
    ys[i] = p[1];
  });
  const tolerance2 = tolerance * tolerance;
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const stack: number[] = [0, n - 1];
  while (stack.length > 0) {
    const last = stack.pop()!;
    const first = stack.pop()!;
    const ax = xs[first]!;
    const ay = ys[first]!;
    const bx = xs[last]!;
    const by = ys[last]!;
    let worst = -1;
    let worstDistance2 = tolerance2;
    for (let i = first + 1; i < last; i++) {
      const d2 = segmentDistance2(xs[i]!, ys[i]!, ax, ay, bx, by);
      if (d2 > worstDistance2) {
        worst = i;
        worstDistance2 = d2;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push(first, worst, worst, last);
    }
  }
  const out: Point[] = [];
  for (let i = 0; i < n; i++) if (keep[i] === 1) out.push([xs[i]!, ys[i]!]);
  return out;
}

/**
 * A free-hand stroke as stored: simplified at `tolerance` image pixels, and, should that still
 * leave more than `maxPoints` (a very long, very wiggly stroke), at doubling tolerances until it
 * does not. Null when it is not a line (fewer than two distinct points).
 */
export function simplifyFreehand(points: readonly Point[], tolerance: number, maxPoints = 500): Point[] | null {
  let t = Math.max(tolerance, 1e-6);
  let simplified = simplifyPath(points, t);
  while (simplified.length > maxPoints) {
    t *= 2;
    simplified = simplifyPath(simplified, t);
  }
  return simplified.length >= 2 ? simplified : null;
}

/** The smallest box around a shape, in its own coordinates. */
export function shapeBounds(shape: AnnotationShape): Bounds {
  switch (shape.kind) {
    case 'box':
      return { x0: Math.min(shape.x0, shape.x1), y0: Math.min(shape.y0, shape.y1), x1: Math.max(shape.x0, shape.x1), y1: Math.max(shape.y0, shape.y1) };
    case 'arrow':
      return pointsBounds([shape.from, shape.to]);
    case 'freehand':
      return pointsBounds(shape.points);
    case 'text':
      return { x0: shape.at[0], y0: shape.at[1], x1: shape.at[0], y1: shape.at[1] };
  }
}

function pointsBounds(points: readonly Point[]): Bounds {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y] of points) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return { x0, y0, x1, y1 };
}

/**
 * Whether a drawn shape is too small to be meant (a click, a twitch): a box narrower or lower than
 * `min` image pixels, an arrow shorter, a free-hand stroke whose extent is. A text note is a point
 * by nature, never too small.
 */
export function isTooSmall(shape: AnnotationShape, min: number): boolean {
  switch (shape.kind) {
    case 'box':
      return Math.abs(shape.x1 - shape.x0) < min || Math.abs(shape.y1 - shape.y0) < min;
    case 'arrow':
      return Math.hypot(shape.to[0] - shape.from[0], shape.to[1] - shape.from[1]) < min;
    case 'freehand': {
      const b = pointsBounds(shape.points);
      return Math.max(b.x1 - b.x0, b.y1 - b.y0) < min;
    }
    case 'text':
      return false;
  }
}

const round = (v: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
};
const roundPoint = (p: Point, decimals: number): Point => [round(p[0], decimals), round(p[1], decimals)];

/** A shape with its coordinates rounded (2 decimals of an image pixel is far below what a hand draws). */
export function roundShape(shape: AnnotationShape, decimals = 2): AnnotationShape {
  switch (shape.kind) {
    case 'box':
      return { kind: 'box', x0: round(shape.x0, decimals), y0: round(shape.y0, decimals), x1: round(shape.x1, decimals), y1: round(shape.y1, decimals) };
    case 'arrow':
      return { kind: 'arrow', from: roundPoint(shape.from, decimals), to: roundPoint(shape.to, decimals) };
    case 'freehand':
      return { kind: 'freehand', points: shape.points.map((p) => roundPoint(p, decimals)) };
    case 'text':
      return { kind: 'text', at: roundPoint(shape.at, decimals) };
  }
}

/** SVG path data for a polyline ("M x y L x y …"). */
export function polylinePath(points: readonly Point[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p[0]} ${p[1]}`).join(' ');
}

/**
 * Where a popover for a shape goes, in preview pixels: under the shape, or above it when the shape
 * sits in the lower part of the image; left-aligned with it, or right-aligned when it sits in the
 * right part. So the popover grows into the image rather than out of it.
 */
export function popoverAnchor(shape: AnnotationShape, image: ImageGeometry): { x: number; y: number; above: boolean; alignRight: boolean } {
  const b = shapeBounds(shape);
  const [x0, y0] = imageToPreview([b.x0, b.y0], image);
  const [x1, y1] = imageToPreview([b.x1, b.y1], image);
  const { width, height } = image.preview;
  const clamp = (v: number, max: number): number => Math.max(0, Math.min(max, v));
  const above = (y0 + y1) / 2 > height * 0.6;
  const alignRight = (x0 + x1) / 2 > width * 0.6;
  return { x: clamp(alignRight ? x1 : x0, width), y: clamp(above ? y0 : y1, height), above, alignRight };
}
