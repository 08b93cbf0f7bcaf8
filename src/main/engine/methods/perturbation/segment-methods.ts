import { LumenError } from '../../../../shared/errors';
import { KernelShapParams, LimeParams, ShapleyExactParams } from '../../../../shared/methods/perturbation-methods';
import type { AttributionGraph } from '../../attribution/attribution-graph';
import { resolveBaseline } from '../../attribution/baselines';
import { coalitionMask, segmentInput, segmentMeans, type SegmentMap } from '../../attribution/segment-input';
import { gradientRuleSet } from '../../autodiff/rule-set';
import { Rng } from '../../random/rng';
import { defineMethod, type Attribution, type MethodContext } from '../method';
import { withStability } from '../stability';
import { kernelShapCoalitions, solveKernelShap } from './kernel-shap-core';
import { fitLime, limeSamples, limeWeights } from './lime-core';
import { exactShapley } from './shapley';

/** The image that absent segments take their pixels from. */
async function replacement(ctx: MethodContext, input: Float32Array, segments: SegmentMap, spec: string, params: { seed: number; blurSigma: number }): Promise<Float32Array> {
  return spec === 'mean' ? segmentMeans(input, segments, ctx.pixels) : resolveBaseline(spec, input, ctx.pixels, params);
}

/** The objective for each coalition, through a perturbation graph (masks made on the fly). */
async function evaluate(ctx: MethodContext, graph: AttributionGraph, coalitions: ArrayLike<number>[], segments: SegmentMap, input: Float32Array, background: Float32Array): Promise<Float64Array> {
  const values = new Float64Array(coalitions.length);
  const mask = new Float32Array(ctx.pixels.height * ctx.pixels.width);
  await graph.streamMasks(coalitions.length, (i) => coalitionMask(coalitions[i]!, segments, mask), input, background, graph.seedFor(ctx.target), (i, v) => (values[i] = v), ctx.runOptions);
  return values;
}

/** A per-segment result painted onto the pixels. */
function painted(segments: SegmentMap, values: ArrayLike<number>): Float32Array {
  return Float32Array.from(segments.labels, (s) => values[s]!);
}

export const limeMethod = defineMethod({
  id: 'lime',
  schema: LimeParams,
  async attributeMany(ctx, inputs, params) {
    const graph = await ctx.graph(gradientRuleSet, params.objective, { masked: true });
    return Promise.all(
      inputs.map(async (input) => {
        const segments = await segmentInput(input, ctx.pixels, params);
        const hidden = await replacement(ctx, input, segments, params.hide, params);
        return withStability(params.stability, params.seed, async (seed): Promise<Attribution> => {
          const samples = limeSamples(segments.count, params.samples, new Rng(seed));
          const y = await evaluate(ctx, graph, samples, segments, input, hidden);
          const fit = fitLime(samples, y, limeWeights(samples, params.kernelWidth), Math.min(params.features, segments.count), params.featureSelection);
          const values = Array.from(fit.weights);
          return {
            map: painted(segments, values),
            figures: { segments: segments.count, intercept: fit.intercept, r2: fit.r2, localPrediction: fit.localPrediction, prediction: y[0]!, forwardPasses: params.samples },
            segments: { labels: segments.labels, values },
          };
        });
      }),
    );
  },
});

export const kernelShapMethod = defineMethod({
  id: 'kernel-shap',
  schema: KernelShapParams,
  async attributeMany(ctx, inputs, params) {
    const graph = await ctx.graph(gradientRuleSet, params.objective, { masked: true });
    return Promise.all(
      inputs.map(async (input) => {
        const segments = await segmentInput(input, ctx.pixels, params);
        const background = await replacement(ctx, input, segments, params.background, params);
        const k = segments.count;
        return withStability(params.stability, params.seed, async (seed): Promise<Attribution> => {
          const coalitions = kernelShapCoalitions(k, Math.max(0, params.samples - 2), new Rng(seed));
          const ends = [new Uint8Array(k), new Uint8Array(k).fill(1)];
          const all = await evaluate(ctx, graph, [...ends, ...coalitions.map((c) => c.z)], segments, input, background);
          const [vNone, vAll] = [all[0]!, all[1]!];
          const phi = solveKernelShap(coalitions, all.subarray(2), vNone, vAll, k);
          const values = Array.from(phi);
          const total = values.reduce((a, b) => a + b, 0);
          return {
            map: painted(segments, values),
            figures: { segments: k, valueAll: vAll, valueNone: vNone, shapleySum: total, efficiencyError: Math.abs(total - (vAll - vNone)), forwardPasses: all.length },
            segments: { labels: segments.labels, values },
          };
        });
      }),
    );
  },
});

export const shapleyExactMethod = defineMethod({
  id: 'shapley-exact',
  schema: ShapleyExactParams,
  async attributeMany(ctx, inputs, params) {
    const graph = await ctx.graph(gradientRuleSet, params.objective, { masked: true });
    return Promise.all(
      inputs.map(async (input) => {
        const segments = await segmentInput(input, ctx.pixels, params);
        const k = segments.count;
        if (k > 14) {
          throw new LumenError(
            'invalid-argument',
            `Exact Shapley values need at most 14 segments (2^14 = 16384 forward passes); the segmentation gave ${k}.`,
            'Ask SLIC for fewer segments, give a coarser segment map, or use kernel-shap.',
          );
        }
        const background = await replacement(ctx, input, segments, params.background, params);
        const coalitions = Array.from({ length: 1 << k }, (_, bits) => Uint8Array.from({ length: k }, (_, i) => (bits >> i) & 1));
        const values = await evaluate(ctx, graph, coalitions, segments, input, background);
        const phi = Array.from(exactShapley(values, k));
        const total = phi.reduce((a, b) => a + b, 0);
        return {
          map: painted(segments, phi),
          figures: { segments: k, valueAll: values[(1 << k) - 1]!, valueNone: values[0]!, shapleySum: total, efficiencyError: Math.abs(total - (values[(1 << k) - 1]! - values[0]!)), forwardPasses: 1 << k },
          segments: { labels: segments.labels, values: phi },
        };
      }),
    );
  },
});
