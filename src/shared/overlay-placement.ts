import type { ResizePolicy } from './model-card';
import { planGeometry, type GeometryPlan, type Rect } from './image-geometry';

/**
 * Where the model's input lies on the original image: the one mapping every door (inspector,
 * report, CLI) uses to lay a map at the model's input size over the image the user opened.
 *
 * Coordinates are continuous, in pixels, with pixel i covering [i, i + 1) (its centre at i + 0.5),
 * on both grids. The map is affine per axis: original = origin + input * scale. The input's canvas
 * is the whole map, letterbox padding included, so for letterboxing it reaches past the image;
 * `content` is the part of the input that shows the image (the crop, resized).
 */
export interface InputPlacement {
  original: { width: number; height: number };
  input: { width: number; height: number };
  /** Where input (0, 0) lands on the original. */
  origin: { x: number; y: number };
  /** Original pixels per input pixel, per axis. */
  scale: { x: number; y: number };
  /** The image inside the input, in input pixels (all of it except letterbox padding). */
  content: Rect;
}

/** The placement of the card's geometry (planGeometry: crop, resize, letterbox offset), undone. */
export function placeInputOnOriginal(original: { width: number; height: number }, input: { width: number; height: number }, resize: ResizePolicy): InputPlacement {
  return placementOfPlan(planGeometry(original, input, resize), original);
}

/** The same from a plan already made (what preprocessing used for the tensor). */
export function placementOfPlan(plan: GeometryPlan, original: { width: number; height: number }): InputPlacement {
  const scale = { x: plan.crop.width / plan.resized.width, y: plan.crop.height / plan.resized.height };
  return {
    original: { width: original.width, height: original.height },
    input: { width: plan.target.width, height: plan.target.height },
    origin: { x: plan.crop.left - plan.offset.left * scale.x, y: plan.crop.top - plan.offset.top * scale.y },
    scale,
    content: { left: plan.offset.left, top: plan.offset.top, width: plan.resized.width, height: plan.resized.height },
  };
}

/** A point of the input (continuous coordinates) on the original. */
export function inputToOriginal(p: InputPlacement, x: number, y: number): { x: number; y: number } {
  return { x: p.origin.x + x * p.scale.x, y: p.origin.y + y * p.scale.y };
}

/** A point of the original (continuous coordinates) on the input. */
export function originalToInput(p: InputPlacement, x: number, y: number): { x: number; y: number } {
  return { x: (x - p.origin.x) / p.scale.x, y: (y - p.origin.y) / p.scale.y };
}

/** A box in original pixels (annotations, ground truth) in input pixels; it may reach outside the input. */
export function boxToInput<B extends { x0: number; y0: number; x1: number; y1: number }>(p: InputPlacement, box: B): { x0: number; y0: number; x1: number; y1: number } {
  const a = originalToInput(p, box.x0, box.y0);
  const b = originalToInput(p, box.x1, box.y1);
  return { x0: a.x, y0: a.y, x1: b.x, y1: b.y };
}

/**
 * The rectangle the whole map covers in a view of the original: the original itself by default,
 * or a resized copy of it (a preview, a report's downscaled image) of size `view`.
 */
export function mapRectInView(p: InputPlacement, view: { width: number; height: number } = p.original): Rect {
  const kx = view.width / p.original.width;
  const ky = view.height / p.original.height;
  return { left: p.origin.x * kx, top: p.origin.y * ky, width: p.input.width * p.scale.x * kx, height: p.input.height * p.scale.y * ky };
}

/**
 * The map resampled onto a view of the original (the original's own size by default), row-major,
 * one value per view pixel: bilinear between map pixel centres (nearest with `smooth: false`), edge
 * values held up to the content's border, and NaN where the model saw nothing of that pixel
 * (outside a crop, or a view pixel whose centre falls on letterbox padding). Draw NaN as the
 * image unchanged.
 */
export function mapOnOriginal(
  map: { data: ArrayLike<number>; width: number; height: number },
  p: InputPlacement,
  view: { width: number; height: number } = p.original,
  options: { smooth?: boolean } = {},
): Float32Array {
  const smooth = options.smooth ?? true;
  // Map pixels per input pixel (a map may be coarser than the input, e.g. a layer's).
  const mx = map.width / p.input.width;
  const my = map.height / p.input.height;
  const kx = p.original.width / view.width;
  const ky = p.original.height / view.height;
  const c = p.content;
  const out = new Float32Array(view.width * view.height);
  // The content's extent in map coordinates: samples are clamped to its border pixels.
  const cx0 = c.left * mx;
  const cx1 = (c.left + c.width) * mx;
  const cy0 = c.top * my;
  const cy1 = (c.top + c.height) * my;
  const xs = new Float64Array(view.width);
  const inX = new Uint8Array(view.width);
  for (let x = 0; x < view.width; x++) {
    const u = originalToInput(p, (x + 0.5) * kx, 0).x;
    inX[x] = u >= c.left && u < c.left + c.width ? 1 : 0;
    xs[x] = Math.min(Math.max(u * mx, cx0 + 0.5), cx1 - 0.5) - 0.5;
  }
  for (let y = 0; y < view.height; y++) {
    const v = originalToInput(p, 0, (y + 0.5) * ky).y;
    const row = y * view.width;
    if (!(v >= c.top && v < c.top + c.height)) {
      out.fill(Number.NaN, row, row + view.width);
      continue;
    }
    const fy = Math.min(Math.max(v * my, cy0 + 0.5), cy1 - 0.5) - 0.5;
    for (let x = 0; x < view.width; x++) {
      if (!inX[x]) {
        out[row + x] = Number.NaN;
        continue;
      }
      out[row + x] = smooth ? bilinear(map, xs[x]!, fy) : nearest(map, xs[x]!, fy);
    }
  }
  return out;
}

/**
 * For each pixel of a view of the original, the index (row-major) of the map pixel under its centre,
 * or -1 where the model saw nothing of it: for per-region data such as XRAI's masks.
 */
export function mapPixelsOnOriginal(map: { width: number; height: number }, p: InputPlacement, view: { width: number; height: number } = p.original): Int32Array {
  const mx = map.width / p.input.width;
  const my = map.height / p.input.height;
  const kx = p.original.width / view.width;
  const ky = p.original.height / view.height;
  const c = p.content;
  const cols = new Int32Array(view.width);
  for (let x = 0; x < view.width; x++) {
    const u = originalToInput(p, (x + 0.5) * kx, 0).x;
    cols[x] = u >= c.left && u < c.left + c.width ? Math.min(map.width - 1, Math.floor(u * mx)) : -1;
  }
  const out = new Int32Array(view.width * view.height).fill(-1);
  for (let y = 0; y < view.height; y++) {
    const v = originalToInput(p, 0, (y + 0.5) * ky).y;
    if (!(v >= c.top && v < c.top + c.height)) continue;
    const j = Math.min(map.height - 1, Math.floor(v * my));
    for (let x = 0; x < view.width; x++) if (cols[x]! >= 0) out[y * view.width + x] = j * map.width + cols[x]!;
  }
  return out;
}

function nearest(map: { data: ArrayLike<number>; width: number; height: number }, fx: number, fy: number): number {
  const i = Math.min(map.width - 1, Math.max(0, Math.round(fx)));
  const j = Math.min(map.height - 1, Math.max(0, Math.round(fy)));
  return map.data[j * map.width + i]!;
}

function bilinear(map: { data: ArrayLike<number>; width: number; height: number }, fx: number, fy: number): number {
  const x0 = Math.max(0, Math.min(map.width - 1, Math.floor(fx)));
  const y0 = Math.max(0, Math.min(map.height - 1, Math.floor(fy)));
  const x1 = Math.min(map.width - 1, x0 + 1);
  const y1 = Math.min(map.height - 1, y0 + 1);
  const tx = Math.min(1, Math.max(0, fx - x0));
  const ty = Math.min(1, Math.max(0, fy - y0));
  const w = map.width;
  const d = map.data;
  const top = d[y0 * w + x0]! * (1 - tx) + d[y0 * w + x1]! * tx;
  const bottom = d[y1 * w + x0]! * (1 - tx) + d[y1 * w + x1]! * tx;
  return top * (1 - ty) + bottom * ty;
}
