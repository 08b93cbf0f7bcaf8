import { LumenError } from '../../../shared/errors';
import { readNpyFile } from '../io/npy';
import { felzenszwalb } from '../segmentation/felzenszwalb';
import { slic } from '../segmentation/slic';
import { relabelInOrder } from '../segmentation/image-input';
import { toChannelsLast } from '../image/channels-first';
import type { PixelSpace } from './pixel-space';

export interface SegmentMap {
  /** Segment of each pixel (row-major H x W), 0 .. count - 1. */
  labels: Int32Array;
  count: number;
}

export interface SegmentationSpec {
  segmentation: string;
  segments: number;
  compactness: number;
  scale: number;
  minSize: number;
}

/**
 * Segments an input for LIME/SHAP: SLIC or Felzenszwalb on the image as the user sees it (pixel
 * values 0..1 through the model card, channels last), or a user's label map from a .npy file at the
 * model input size. Labels are renumbered 0 .. count - 1.
 */
export async function segmentInput(input: Float32Array, pixels: PixelSpace, spec: SegmentationSpec): Promise<SegmentMap> {
  const { height: H, width: W, channels: C, layout } = pixels;
  if (spec.segmentation === 'slic' || spec.segmentation === 'felzenszwalb') {
    const p01 = pixels.toPixels(input);
    const hwc = layout === 'NHWC' ? p01 : toChannelsLast(p01, H, W, C);
    const image = { data: hwc, width: W, height: H, channels: C };
    const result =
      spec.segmentation === 'slic'
        ? slic(image, { segments: spec.segments, compactness: spec.compactness, iterations: 10, enforceConnectivity: true })
        : felzenszwalb(image, { scale: spec.scale, sigma: 0.8, minSize: spec.minSize });
    return relabelInOrder(result.labels);
  }
  const array = await readNpyFile(spec.segmentation);
  const dims = array.shape.filter((d, i) => !(d === 1 && i < array.shape.length - 2));
  if (dims.length !== 2 || dims[0] !== H || dims[1] !== W) {
    throw new LumenError(
      'invalid-argument',
      `The segment map ${spec.segmentation} has shape [${array.shape.join(', ')}]; it must be ${H} x ${W}, the model's input size.`,
      'Save one integer label per pixel of the preprocessed image, e.g. numpy.save("segments.npy", labels.astype("int32")).',
    );
  }
  const labels = Int32Array.from(array.data as ArrayLike<number | bigint>, (v) => Number(v));
  return relabelInOrder(labels);
}

/** The image with every segment filled with its own mean (per channel): LIME's default "hidden" value. */
export function segmentMeans(input: Float32Array, segments: SegmentMap, pixels: PixelSpace): Float32Array {
  const { height: H, width: W, channels: C, layout } = pixels;
  const plane = H * W;
  const sums = new Float64Array(segments.count * C);
  const counts = new Float64Array(segments.count);
  const index = (c: number, p: number): number => (layout === 'NCHW' ? c * plane + p : p * C + c);
  for (let p = 0; p < plane; p++) {
    const s = segments.labels[p]!;
    counts[s]!++;
    for (let c = 0; c < C; c++) sums[s * C + c]! += input[index(c, p)]!;
  }
  const out = new Float32Array(input.length);
  for (let p = 0; p < plane; p++) {
    const s = segments.labels[p]!;
    for (let c = 0; c < C; c++) out[index(c, p)] = sums[s * C + c]! / counts[s]!;
  }
  return out;
}

/** A pixel mask (1 = keep the image) from a coalition of segments. */
export function coalitionMask(z: ArrayLike<number>, segments: SegmentMap, out: Float32Array): Float32Array {
  for (let p = 0; p < out.length; p++) out[p] = z[segments.labels[p]!]!;
  return out;
}
