import { z } from 'zod';
import { describeZodError, LumenError } from '../../../../shared/errors';
import { IntegratedGradientsParams } from '../../../../shared/methods/gradient-methods';
import { XraiParams } from '../../../../shared/methods/region-methods';
import { toChannelsLast } from '../../image/channels-first';
import { integratedGradients } from '../integrated-gradients';
import { defineMethod, type Attribution, type Figures, type MethodContext } from '../method';
import { regionRanks, selectRegions, topRegionsMask } from './select-regions';
import { felzenszwalbRegions, masksFromLabelMaps, readSegmentations } from './xrai-segments';
import { xraiPixelSizes, type XraiPixelSizes } from './xrai-pixel-sizes';

type Params = z.output<typeof XraiParams>;

/** Checks the input is big enough for the regions asked for, before any expensive work. */
function checkSize(height: number, width: number, params: XraiPixelSizes): void {
  const side = 2 * params.dilationRadius + 1;
  const area = 4 * params.minPixelDiff;
  if (Math.min(height, width) < side || height * width < area) {
    throw new LumenError(
      'invalid-argument',
      `XRAI needs an input of at least ${side} x ${side} pixels and ${area} pixels in all for dilationRadius ${params.dilationRadius} and minPixelDiff ${params.minPixelDiff}; this model's input is ${height} x ${width}.`,
      'Lower dilationRadius and minPixelDiff, or use a pixel method such as integrated-gradients.',
    );
  }
}

/** One value per pixel from a base attribution: a map as is, a per-channel one by its maximum (PAIR). */
function perPixel(map: Float32Array, ctx: MethodContext, baseId: string): Float32Array {
  const { height: H, width: W, channels: C, layout } = ctx.pixels;
  const plane = H * W;
  if (map.length === plane) return map;
  if (map.length !== plane * C) throw new LumenError('invalid-argument', `The base method ${baseId} returned ${map.length} values; XRAI needs ${plane} or ${plane * C}.`);
  const out = new Float32Array(plane).fill(-Infinity);
  for (let i = 0; i < map.length; i++) {
    const p = layout === 'NCHW' ? i % plane : Math.floor(i / C);
    if (map[i]! > out[p]!) out[p] = map[i]!;
  }
  return out;
}

/**
 * The base attribution. Integrated Gradients by default, as PAIR saliency's XRAI: averaged over
 * constant tensors at the input's minimum and maximum (or a black and a white image), with
 * evenly spaced path points; any other method with its own parameters on request.
 */
async function baseAttribution(ctx: MethodContext, input: Float32Array, params: Params): Promise<Attribution> {
  if (params.base === 'xrai') throw new LumenError('invalid-argument', 'XRAI cannot use itself as its base attribution.', 'Choose a pixel method such as integrated-gradients.');
  const method = ctx.method(params.base);
  if (!method) throw new LumenError('invalid-argument', `Unknown base method "${params.base}" for XRAI.`, 'Run `lumen methods` for the list; integrated-gradients is the default.');
  const parse = <S extends z.ZodType>(schema: S, value: Record<string, unknown>): z.output<S> => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new LumenError('invalid-argument', `Invalid baseParams for ${params.base}: ${describeZodError(parsed.error)}.`);
    return parsed.data;
  };
  const takesObjective = method.schema instanceof z.ZodObject && 'objective' in method.schema.shape;
  const baseParams = { ...(takesObjective ? { objective: params.objective } : {}), ...params.baseParams };
  if (params.base === 'integrated-gradients' && !('baseline' in baseParams) && !('baselines' in baseParams)) {
    const options = parse(IntegratedGradientsParams, { steps: params.steps, stepRule: 'linspace', ...baseParams });
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of input) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const baselines =
      params.baselines === 'black-white' ? [ctx.pixels.constant(0), ctx.pixels.constant(1)] : [new Float32Array(input.length).fill(lo), new Float32Array(input.length).fill(hi)];
    return (await integratedGradients(ctx, [input], [baselines], options))[0]!;
  }
  return (await method.attributeMany(ctx, [input], parse(method.schema, baseParams)))[0]!;
}

/**
 * XRAI (Kapishnikov et al. 2019): over-segment the image at several scales, then grow the
 * explanation region by region, each time taking the region whose new pixels carry the most base
 * attribution per pixel. Returns the heat map (each pixel: its region's gain), the regions in
 * rank order with their areas, and with `areaThreshold` the binary mask of the top regions.
 */
export const xraiMethod = defineMethod({
  id: 'xrai',
  schema: XraiParams,
  async attributeMany(ctx, inputs, params) {
    const { height: H, width: W, channels: C, layout } = ctx.pixels;
    const sizes = xraiPixelSizes(H, W, params);
    checkSize(H, W, sizes);
    const userMaps = params.segments ? await readSegmentations(params.segments, H, W) : undefined;
    const results: Attribution[] = [];
    for (const input of inputs) {
      let t = performance.now();
      const base = await baseAttribution(ctx, input, params);
      const attribution = perPixel(base.map, ctx, params.base);
      const baseMs = performance.now() - t;

      t = performance.now();
      let masks: Uint32Array[];
      if (userMaps) masks = masksFromLabelMaps(userMaps, H, W, sizes.dilationRadius);
      else {
        const p01 = ctx.pixels.toPixels(input);
        const image = { data: layout === 'NHWC' ? p01 : toChannelsLast(p01, H, W, C), height: H, width: W, channels: C };
        masks = felzenszwalbRegions(image, { ...params, ...sizes });
      }
      const segmentationMs = performance.now() - t;

      t = performance.now();
      const selection = selectRegions(attribution, masks, { minPixelDiff: sizes.minPixelDiff, algorithm: params.algorithm });
      const ranks = regionRanks(selection.regions, H * W);
      let cumulative = 0;
      const list = selection.regions.map((r, i) => {
        cumulative += r.pixels.length;
        return { rank: i + 1, gain: r.gain, area: r.pixels.length, cumulativeArea: cumulative / (H * W) };
      });
      const threshold = params.areaThreshold === undefined ? undefined : topRegionsMask(selection.regions, H * W, params.areaThreshold);
      const selectionMs = performance.now() - t;

      const figures: Figures = {
        regions: list.length,
        candidateMasks: masks.length,
        topRegionGain: list[0]?.gain ?? 0,
        dilationRadius: sizes.dilationRadius,
        minPixelDiff: sizes.minPixelDiff,
        ...(userMaps ? {} : { minSegmentSize: sizes.minSize }),
        baseMs,
        segmentationMs,
        selectionMs,
        ...(threshold ? { areaThreshold: params.areaThreshold!, maskArea: threshold.area } : {}),
      };
      for (const [k, v] of Object.entries(base.figures)) figures[`base ${k}`] = v;
      // The base's warnings (e.g. IG's completeness) hold for the regions ranked by it.
      const notes = (base.notes ?? []).map((n) => `Base attribution (${params.base}): ${n}`);
      results.push({ map: threshold ? threshold.mask : selection.heatmap, figures, regions: { ranks, list }, ...(notes.length > 0 ? { notes } : {}) });
    }
    return results;
  },
});
