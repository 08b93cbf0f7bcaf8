/**
 * One value per pixel from an attribution, so it can be drawn as a heat map.
 *
 * Pixel methods (gradients, Integrated Gradients, ...) attribute every input channel: dims
 * [1, C, H, W] (or [1, H, W, C] for a channels-last model). Map methods (CAM, occlusion, XRAI)
 * already give one value per pixel: [1, 1, H, W] or [H, W]. Every door reduces with this (double
 * accumulation, stored as float32), so the workstation, the report and `lumen attribute --png` agree:
 * - `sum`: signed sum over channels (Captum's default; keeps evidence for and against apart).
 * - `sum-abs`: sum of |v| (PAIR saliency's grayscale visualisation).
 * - `max-abs`: largest |v| (Simonyan et al.'s saliency maps).
 * - `l2`: Euclidean norm over channels.
 */
import type { AttributionResult } from '../contract/attribution';

export const channelReductions = ['sum', 'sum-abs', 'max-abs', 'l2'] as const;
export type ChannelReduction = (typeof channelReductions)[number];
export type Layout = 'NCHW' | 'NHWC';

/** A single-channel map, row-major, `width * height` values. */
export interface HeatMap {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
}

export interface MapGeometry {
  channels: number;
  height: number;
  width: number;
  layout: Layout;
}

/**
 * Channels, height and width of an attribution's dims. Accepts [H, W], [C, H, W], [1, C, H, W]
 * and, channels-last, [H, W, C] and [1, H, W, C]. As in the engine, a [1, 1, H, W] map stays
 * channels-first whatever the model's layout (map methods always return that shape).
 */
export function mapGeometry(dims: readonly number[], layout: Layout = 'NCHW'): MapGeometry {
  const valid = dims.every((d) => Number.isSafeInteger(d) && d > 0);
  const rest = dims.length === 4 && dims[0] === 1 ? dims.slice(1) : dims;
  if (valid && rest.length === 2) return { channels: 1, height: rest[0]!, width: rest[1]!, layout: 'NCHW' };
  if (valid && rest.length === 3) {
    const [a, b, c] = rest as [number, number, number];
    if (layout === 'NHWC' && a !== 1) return { channels: c, height: a, width: b, layout };
    return { channels: a, height: b, width: c, layout: 'NCHW' };
  }
  throw new RangeError(`cannot draw an attribution of shape [${dims.join(', ')}]: expected [H, W], [C, H, W] or [1, C, H, W]`);
}

/** Reduces an attribution to one H x W map. A single-channel input comes back without a copy. */
export function reduceChannels(data: Float32Array, dims: readonly number[], reduction: ChannelReduction = 'sum', layout: Layout = 'NCHW'): HeatMap {
  const g = mapGeometry(dims, layout);
  const plane = g.height * g.width;
  if (plane * g.channels !== data.length) {
    throw new RangeError(`an attribution of shape [${dims.join(', ')}] needs ${plane * g.channels} values, not ${data.length}`);
  }
  if (g.channels === 1 && reduction === 'sum') return { data, width: g.width, height: g.height };
  const out = new Float32Array(plane);
  const C = g.channels;
  // Channel c of pixel p sits at c * plane + p (channels-first) or p * C + c (channels-last).
  const pixelStride = g.layout === 'NCHW' ? 1 : C;
  const channelStride = g.layout === 'NCHW' ? plane : 1;
  for (let p = 0; p < plane; p++) {
    const base = p * pixelStride;
    let acc = 0;
    for (let c = 0; c < C; c++) {
      const v = data[base + c * channelStride]!;
      if (reduction === 'sum') acc += v;
      else if (reduction === 'sum-abs') acc += Math.abs(v);
      else if (reduction === 'max-abs') acc = Math.max(acc, Math.abs(v));
      else acc += v * v;
    }
    out[p] = reduction === 'l2' ? Math.sqrt(acc) : acc;
  }
  return { data: out, width: g.width, height: g.height };
}

/**
 * The heat map of an attribution result. Map methods are drawn as they are; pixel methods are
 * reduced over channels. `layout` is the model card's `input.layout`.
 */
export function heatmapOf(result: Pick<AttributionResult, 'data' | 'dims' | 'kind'>, options: { reduction?: ChannelReduction; layout?: Layout } = {}): HeatMap {
  if (result.kind === 'map') return reduceChannels(result.data, result.dims, 'sum', 'NCHW');
  return reduceChannels(result.data, result.dims, options.reduction ?? 'sum', options.layout ?? 'NCHW');
}
