import { LumenError } from '../../../shared/errors';

/** An image for segmentation: interleaved H x W x C floats. */
export interface SegmentationImage {
  data: Float32Array | Float64Array;
  width: number;
  height: number;
  channels: number;
}

export interface LabelMap {
  /** Segment of each pixel, row-major, 0 .. count - 1. */
  labels: Int32Array;
  count: number;
}

export function checkImage(image: SegmentationImage, what: string): void {
  const { width, height, channels, data } = image;
  if (!(Number.isInteger(width) && Number.isInteger(height) && Number.isInteger(channels)) || width < 1 || height < 1 || channels < 1) {
    throw new LumenError('invalid-argument', `${what} needs a non-empty image (got ${width} x ${height} x ${channels}).`);
  }
  if (data.length !== width * height * channels) {
    throw new LumenError('invalid-argument', `${what}: the image has ${data.length} values, not ${width} x ${height} x ${channels}.`);
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) throw new LumenError('invalid-argument', `${what}: the image has a non-finite value at element ${i}.`);
  }
}

/** Renumbers labels 0 .. count - 1 by the order in which they first appear in raster order. */
export function relabelInOrder(labels: Int32Array): LabelMap {
  const map = new Map<number, number>();
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let id = map.get(labels[i]!);
    if (id === undefined) {
      id = map.size;
      map.set(labels[i]!, id);
    }
    out[i] = id;
  }
  return { labels: out, count: map.size };
}
