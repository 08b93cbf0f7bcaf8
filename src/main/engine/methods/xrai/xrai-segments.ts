import { LumenError } from '../../../../shared/errors';
import { readNpyFile } from '../../io/npy';
import { resizeBilinear } from '../../image/resize-bilinear';
import { dilateSegments } from '../../segmentation/dilate-segments';
import { felzenszwalbScales } from '../../segmentation/felzenszwalb';
import { relabelInOrder, type LabelMap } from '../../segmentation/image-input';
import { resizeLabels } from '../../segmentation/resize-labels';

export interface XraiSegmentOptions {
  scales: number[];
  sigma: number;
  minSize: number;
  segmentationSize: number;
  dilationRadius: number;
}

/** An image, channels last, at the model's input size. */
export interface XraiImage {
  data: Float32Array;
  height: number;
  width: number;
  channels: number;
}

/** Scales an image to [-1, 1] by its own minimum and maximum (PAIR saliency's _normalize_image). */
function toSignedUnit(data: Float32Array): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const range = hi - lo;
  return data.map((v) => (range > 0 ? ((v - lo) / range) * 2 - 1 : 0));
}

/** Resizes an interleaved image channel by channel (bilinear, pixel centres aligned). */
function resizeImage(image: XraiImage, size: number): XraiImage {
  const { height: H, width: W, channels: C } = image;
  const out = new Float32Array(size * size * C);
  const plane = new Float32Array(H * W);
  for (let c = 0; c < C; c++) {
    for (let p = 0; p < H * W; p++) plane[p] = image.data[p * C + c]!;
    const resized = resizeBilinear(plane, H, W, size, size);
    for (let p = 0; p < size * size; p++) out[p * C + c] = resized[p]!;
  }
  return { data: out, height: size, width: size, channels: C };
}

/**
 * XRAI's candidate regions from Felzenszwalb segmentations, as PAIR saliency makes them: the image
 * scaled to [-1, 1] and resized to `segmentationSize` (PAIR: 224, with bicubic anti-aliased
 * resizing; bilinear here), one segmentation per scale, label maps brought back to the input size
 * by nearest neighbour, every segment one mask, dilated by a disk. Empty masks are dropped.
 */
export function felzenszwalbRegions(image: XraiImage, options: XraiSegmentOptions): Uint32Array[] {
  const { height: H, width: W } = image;
  let work: XraiImage = { ...image, data: toSignedUnit(image.data) };
  const size = options.segmentationSize;
  if (size > 0 && (H !== size || W !== size)) work = resizeImage(work, size);
  const maps = felzenszwalbScales(work, options.scales, { sigma: options.sigma, minSize: options.minSize });
  return masksFromLabelMaps(
    maps.map((m) => resizeLabels(m, work.height, work.width, H, W)),
    H,
    W,
    options.dilationRadius,
  );
}

/** Every segment of every label map as a dilated mask, empty ones dropped. */
export function masksFromLabelMaps(maps: LabelMap[], height: number, width: number, radius: number): Uint32Array[] {
  return maps.flatMap((m) => dilateSegments(m, height, width, radius)).filter((mask) => mask.length > 0);
}

/** A user's segmentation: a .npy of integer labels, H x W or S x H x W, at the input size. */
export async function readSegmentations(path: string, height: number, width: number): Promise<LabelMap[]> {
  const array = await readNpyFile(path);
  const shape = array.shape;
  const ok = (shape.length === 2 || shape.length === 3) && shape[shape.length - 2] === height && shape[shape.length - 1] === width && array.dtype !== 'float16' && array.dtype !== 'float32' && array.dtype !== 'float64';
  if (!ok) {
    throw new LumenError(
      'invalid-argument',
      `The segmentation ${path} is ${array.dtype} [${shape.join(', ')}]; XRAI needs integer labels shaped ${height} x ${width} or S x ${height} x ${width} (the model's input size).`,
      'Save it with numpy.save("segments.npy", labels.astype("int32")).',
    );
  }
  const plane = height * width;
  const count = shape.length === 3 ? shape[0]! : 1;
  return Array.from({ length: count }, (_, s) =>
    relabelInOrder(Int32Array.from({ length: plane }, (_, p) => Number(array.data[s * plane + p]!))),
  );
}
