import { LumenError } from '../../../shared/errors';
import { checkImage, relabelInOrder, type LabelMap, type SegmentationImage } from './image-input';
import { rgbToLab } from './rgb-to-lab';

export interface SlicOptions {
  /** Approximate number of segments. */
  segments: number;
  /** Balance of colour and space: higher gives squarer segments. */
  compactness: number;
  iterations: number;
  /** Merge segments that are not 4-connected into a neighbour (scikit-image's default). */
  enforceConnectivity: boolean;
}

/** Start and step of the seed grid along one axis. */
interface Grid {
  start: number;
  step: number;
}

/** numpy's round: halves go to the even neighbour. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v - Math.trunc(v)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Seeds on a regular grid as scikit-image's regular_grid places n points in an array of the given
 * shape (SLIC calls it with (1, H, W)): an isotropic step, except that axes shorter than the step
 * take one seed and the remaining axes share the points. Starts are half the unrounded step.
 */
export function regularGrid(shape: number[], points: number): Grid[] {
  const ndim = shape.length;
  const space = shape.reduce((a, b) => a * b, 1);
  if (space <= points) return shape.map(() => ({ start: 0, step: 1 }));
  const order = shape.map((_, i) => i).sort((a, b) => shape[a]! - shape[b]! || a - b);
  const sorted = order.map((i) => shape[i]!);
  const steps = sorted.map(() => Math.pow(space / points, 1 / ndim));
  if (sorted.some((d, i) => d < steps[i]!)) {
    for (let dim = 0; dim < ndim - 1; dim++) {
      steps[dim] = sorted[dim]!;
      const rest = sorted.slice(dim + 1).reduce((a, b) => a * b, 1);
      for (let j = dim + 1; j < ndim; j++) steps[j] = Math.pow(rest / points, 1 / (ndim - dim - 1));
      if (sorted.every((d, i) => d >= steps[i]!)) break;
    }
  }
  const grids: Grid[] = new Array<Grid>(ndim);
  order.forEach((axis, i) => (grids[axis] = { start: Math.floor(steps[i]! / 2), step: roundHalfEven(steps[i]!) }));
  return grids;
}

interface Clusters {
  /** Per cluster: y, x, then the colour features. */
  centres: Float64Array;
  count: number;
  features: number;
}

function initialClusters(height: number, width: number, channels: number, ys: Grid, xs: Grid): Clusters {
  const rows: number[] = [];
  for (let y = ys.start; y < height; y += ys.step) for (let x = xs.start; x < width; x += xs.step) rows.push(y, x);
  const count = rows.length / 2;
  const features = 2 + channels;
  const centres = new Float64Array(count * features);
  // Colour starts at zero, as in scikit-image: the first assignment is mostly spatial.
  for (let k = 0; k < count; k++) {
    centres[k * features] = rows[2 * k]!;
    centres[k * features + 1] = rows[2 * k + 1]!;
  }
  return { centres, count, features };
}

/** Lloyd iterations restricted to a 2-step window around each centre (Achanta et al. 2012). */
function cluster(image: Float64Array, height: number, width: number, clusters: Clusters, step: number, iterations: number): Int32Array {
  const { centres, count, features } = clusters;
  const channels = features - 2;
  const nearest = new Int32Array(height * width).fill(-1);
  const distance = new Float64Array(height * width);
  const members = new Float64Array(count);
  const spatialWeight = 1 / (step * step);
  for (let it = 0; it < iterations; it++) {
    let changed = false;
    distance.fill(Number.MAX_VALUE);
    for (let k = 0; k < count; k++) {
      const cy = centres[k * features]!;
      const cx = centres[k * features + 1]!;
      if (Number.isNaN(cy)) continue; // an emptied cluster never wins again
      const y0 = Math.trunc(Math.max(cy - 2 * step, 0));
      const y1 = Math.trunc(Math.min(cy + 2 * step + 1, height));
      const x0 = Math.trunc(Math.max(cx - 2 * step, 0));
      const x1 = Math.trunc(Math.min(cx + 2 * step + 1, width));
      for (let y = y0; y < y1; y++) {
        const dy = (cy - y) * (cy - y);
        for (let x = x0; x < x1; x++) {
          const p = y * width + x;
          let d = (dy + (cx - x) * (cx - x)) * spatialWeight;
          for (let c = 0; c < channels; c++) {
            const diff = image[p * channels + c]! - centres[k * features + 2 + c]!;
            d += diff * diff;
          }
          // Strictly smaller: ties stay with the earlier cluster.
          if (distance[p]! > d) {
            nearest[p] = k;
            distance[p] = d;
            changed = true;
          }
        }
      }
    }
    if (!changed) break;
    centres.fill(0);
    members.fill(0);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = y * width + x;
        const k = nearest[p]!;
        members[k]!++;
        centres[k * features]! += y;
        centres[k * features + 1]! += x;
        for (let c = 0; c < channels; c++) centres[k * features + 2 + c]! += image[p * channels + c]!;
      }
    }
    for (let k = 0; k < count; k++) for (let f = 0; f < features; f++) centres[k * features + f]! /= members[k]!;
  }
  return nearest;
}

/**
 * Relabels 4-connected components; components smaller than minSize join the last neighbouring
 * component the search met, as in the SLIC paper and scikit-image. Components are cut at maxSize.
 */
function enforceConnectivity(labels: Int32Array, height: number, width: number, minSize: number, maxSize: number): Int32Array {
  // Label 0 means "not visited yet" and new labels start at 1, as in scikit-image with start_label 1.
  const out = new Int32Array(labels.length);
  const queue = new Int32Array(Math.max(1, maxSize));
  const dx = [1, -1, 0, 0];
  const dy = [0, 0, 1, -1];
  let next = 1;
  for (let start = 0; start < labels.length; start++) {
    if (out[start]! >= 1) continue;
    const label = labels[start]!;
    let adjacent = 0;
    out[start] = next;
    queue[0] = start;
    let size = 1;
    let visited = 0;
    while (visited < size && size < maxSize) {
      const p = queue[visited]!;
      const py = Math.floor(p / width);
      const px = p - py * width;
      for (let i = 0; i < 4; i++) {
        const x = px + dx[i]!;
        const y = py + dy[i]!;
        if (x < 0 || x >= width || y < 0 || y >= height) continue;
        const q = y * width + x;
        if (labels[q] === label && out[q] === 0) {
          out[q] = next;
          queue[size++] = q;
          if (size >= maxSize) break;
        } else if (out[q]! >= 1 && out[q] !== next) {
          adjacent = out[q]!;
        }
      }
      visited++;
    }
    if (size < minSize) {
      for (let i = 0; i < size; i++) out[queue[i]!] = adjacent;
    } else {
      next++;
    }
  }
  return out;
}

/**
 * SLIC superpixels (Achanta et al. 2012) with scikit-image's parameterisation and behaviour
 * (slic(image, n_segments, compactness, max_num_iter, sigma=0, start_label=1)): the image is
 * rescaled to [0, 1], three-channel images cluster in CIE Lab, the colour distance is scaled by 1 / compactness and the spatial one
 * by 1 / step, and small disconnected pieces are merged afterwards.
 */
export function slic(image: SegmentationImage, options: SlicOptions): LabelMap {
  checkImage(image, 'SLIC segmentation');
  const { width: W, height: H, channels: C } = image;
  if (!(Number.isInteger(options.segments) && options.segments >= 1) || !(options.compactness > 0) || !(Number.isInteger(options.iterations) && options.iterations >= 1)) {
    throw new LumenError('invalid-argument', `SLIC needs segments >= 1, compactness > 0 and iterations >= 1 (got ${options.segments}, ${options.compactness}, ${options.iterations}).`);
  }
  // Rescaled to [0, 1] first, so that the compactness means the same for any input range.
  const unit = Float64Array.from(image.data);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of unit) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  for (let i = 0; i < unit.length; i++) unit[i] = hi - lo !== 0 ? (unit[i]! - lo) / (hi - lo) : unit[i]! - lo;
  const colour = C === 3 ? rgbToLab(unit) : unit;
  const ratio = 1 / options.compactness;
  for (let i = 0; i < colour.length; i++) colour[i]! *= ratio;
  const [, ys, xs] = regularGrid([1, H, W], options.segments) as [Grid, Grid, Grid];
  const clusters = initialClusters(H, W, C, ys, xs);
  const step = Math.max(ys.step, xs.step, 1);
  let labels = cluster(colour, H, W, clusters, step, options.iterations);
  if (options.enforceConnectivity) {
    const segmentSize = (H * W) / clusters.count;
    labels = enforceConnectivity(labels, H, W, Math.trunc(0.5 * segmentSize), Math.trunc(3 * segmentSize));
  }
  return relabelInOrder(labels);
}
