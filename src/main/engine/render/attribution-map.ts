import { channelReduce, type ChannelReduction } from './heatmap-png';

/**
 * One value per pixel from an attribution: map methods already are [1, 1, H, W]; pixel methods
 * are reduced over channels (sum keeps the sign). NHWC data is made channels-first first.
 */
export function attributionToMap(
  data: Float32Array,
  dims: readonly number[],
  layout: 'NCHW' | 'NHWC',
  how: ChannelReduction = 'sum',
): { map: Float32Array; height: number; width: number } {
  if (dims.length !== 4) throw new RangeError(`expected [1, C, H, W] or [1, H, W, C], got [${dims.join(', ')}]`);
  if (layout === 'NHWC' && dims[3]! > 1 && dims[1] !== 1) {
    const [, h, w, c] = dims as [number, number, number, number];
    const chw = new Float32Array(data.length);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) chw[(k * h + y) * w + x] = data[(y * w + x) * c + k]!;
    return { map: channelReduce(chw, [1, c, h, w], how), height: h, width: w };
  }
  const [, c, h, w] = dims as [number, number, number, number];
  return { map: c === 1 ? data : channelReduce(data, dims, how), height: h, width: w };
}

/** Signed maps use the diverging colormap; maps without negative values the sequential one. */
export function displayMode(map: Float32Array): 'signed' | 'positive' {
  for (const v of map) if (v < 0) return 'signed';
  return 'positive';
}
