import { LumenError } from '../../../shared/errors';
import { gaussianBlur } from '../image/gaussian-blur';
import { checkImage, relabelInOrder, type LabelMap, type SegmentationImage } from './image-input';
import { argsortNonNegative } from './sort-by-key';

export interface FelzenszwalbOptions {
  scale: number;
  sigma: number;
  minSize: number;
}

/** The 8-connected grid graph of a smoothed image, edges sorted by colour distance. */
interface SortedGraph {
  from: Int32Array;
  to: Int32Array;
  cost: Float64Array;
  pixels: number;
}

/**
 * The image graph as scikit-image builds it: the image smoothed by a Gaussian per channel (scipy's
 * "reflect" border), edges to the right, down, down-right and up-right neighbours (in that order),
 * weighted by the Euclidean distance of the pixel values, sorted by weight (stably).
 */
function sortedGraph(image: SegmentationImage, sigma: number): SortedGraph {
  const { width: W, height: H, channels: C } = image;
  const data = Float32Array.from(image.data);
  const smooth = sigma > 0 ? gaussianBlur(data, 'NHWC', C, H, W, sigma) : data;
  const count = H * (W - 1) + (H - 1) * W + 2 * (H - 1) * (W - 1);
  const from = new Int32Array(count);
  const to = new Int32Array(count);
  const cost = new Float64Array(count);
  let e = 0;
  const edge = (a: number, b: number): void => {
    let s = 0;
    for (let c = 0; c < C; c++) {
      const d = smooth[a * C + c]! - smooth[b * C + c]!;
      s += d * d;
    }
    from[e] = a;
    to[e] = b;
    cost[e++] = Math.sqrt(s);
  };
  for (let y = 0; y < H; y++) for (let x = 0; x < W - 1; x++) edge(y * W + x + 1, y * W + x); // right
  for (let y = 0; y < H - 1; y++) for (let x = 0; x < W; x++) edge((y + 1) * W + x, y * W + x); // down
  for (let y = 0; y < H - 1; y++) for (let x = 0; x < W - 1; x++) edge((y + 1) * W + x + 1, y * W + x); // down-right
  for (let y = 0; y < H - 1; y++) for (let x = 0; x < W - 1; x++) edge(y * W + x + 1, (y + 1) * W + x); // up-right
  const order = argsortNonNegative(cost);
  // Plain loops: TypedArray.from with a mapping function is ten times slower here.
  const sorted = { from: new Int32Array(count), to: new Int32Array(count), cost: new Float64Array(count), pixels: H * W };
  for (let i = 0; i < count; i++) {
    const j = order[i]!;
    sorted.from[i] = from[j]!;
    sorted.to[i] = to[j]!;
    sorted.cost[i] = cost[j]!;
  }
  return sorted;
}

/** Union-find whose roots are the smallest index of their set, with path compression. */
function root(parent: Int32Array, n: number): number {
  let r = n;
  while (parent[r]! < r) r = parent[r]!;
  while (parent[n]! > r) {
    const next = parent[n]!;
    parent[n] = r;
    n = next;
  }
  return r;
}

function segmentGraph(graph: SortedGraph, scale: number, minSize: number): LabelMap {
  const n = graph.pixels;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const size = new Int32Array(n).fill(1);
  const internal = new Float64Array(n);
  const { from, to, cost } = graph;
  // scikit-image divides the scale by 255 so that it means what it means for 8-bit images.
  const k = scale / 255;
  const join = (a: number, b: number): number => {
    const small = a < b ? a : b;
    parent[a < b ? b : a] = small;
    size[small] = size[a]! + size[b]!;
    return small;
  };
  for (let e = 0; e < cost.length; e++) {
    const a = root(parent, from[e]!);
    const b = root(parent, to[e]!);
    if (a === b) continue;
    // Merge when the edge is lighter than both components' internal difference plus k / |C|.
    // scikit-image holds the two thresholds in single precision; rounding them the same way keeps
    // near-ties on the same side.
    if (cost[e]! < Math.min(Math.fround(internal[a]! + k / size[a]!), Math.fround(internal[b]! + k / size[b]!))) {
      internal[join(a, b)] = cost[e]!;
    }
  }
  // Components smaller than minSize merge along the lightest edges first.
  for (let e = 0; e < cost.length; e++) {
    const a = root(parent, from[e]!);
    const b = root(parent, to[e]!);
    if (a !== b && (size[a]! < minSize || size[b]! < minSize)) join(a, b);
  }
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = root(parent, i);
  return relabelInOrder(labels);
}

function checkOptions(options: FelzenszwalbOptions): void {
  if (!(options.scale > 0) || !(options.sigma >= 0) || !(options.minSize >= 0)) {
    throw new LumenError('invalid-argument', `Felzenszwalb needs scale > 0, sigma >= 0 and minSize >= 0 (got ${options.scale}, ${options.sigma}, ${options.minSize}).`);
  }
}

/**
 * Felzenszwalb and Huttenlocher's graph-based segmentation (2004) with scikit-image's
 * parameterisation (felzenszwalb(image, scale, sigma, min_size) on a float image, channels last).
 */
export function felzenszwalb(image: SegmentationImage, options: FelzenszwalbOptions): LabelMap {
  return felzenszwalbScales(image, [options.scale], options)[0]!;
}

/**
 * The same at several scales (XRAI uses six): smoothing, edge weights and their sorting do not
 * depend on the scale and are done once.
 */
export function felzenszwalbScales(image: SegmentationImage, scales: number[], options: Omit<FelzenszwalbOptions, 'scale'>): LabelMap[] {
  checkImage(image, 'Felzenszwalb segmentation');
  for (const scale of scales) checkOptions({ ...options, scale });
  const graph = sortedGraph(image, options.sigma);
  return scales.map((scale) => segmentGraph(graph, scale, options.minSize));
}
