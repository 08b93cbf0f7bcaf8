import { LumenError } from '../../../shared/errors';
import { DeepLiftParams, DeepShapParams } from '../../../shared/methods/gradient-methods';
import { readBaselineRows, resolveBaseline } from '../attribution/baselines';
import type { AttributionGraph } from '../attribution/attribution-graph';
import { deepLiftRuleSetFor } from '../autodiff/rule-sets/deeplift';
import { defineMethod, sum, type Attribution, type MethodContext } from './method';

/**
 * DeepLIFT multipliers for every (input, reference) pair in batched runs, one row per pair, each
 * attribution being (x - x') * m, averaged over the references of an input. The graph's reference
 * pass also gives f(x'), for the summation-to-delta check.
 */
async function deepLift(ctx: MethodContext, graph: AttributionGraph, inputs: Float32Array[], references: Float32Array[][]): Promise<Attribution[]> {
  const pairs = inputs.flatMap((input, i) => references[i]!.map((reference) => ({ input, reference, owner: i })));
  const size = inputs[0]?.length ?? 0;
  const maps = inputs.map(() => new Float32Array(size));
  const deltas = inputs.map(() => 0);
  await graph.stream(
    pairs.length,
    (r) => ({ input: pairs[r]!.input, reference: pairs[r]!.reference }),
    graph.seedFor(ctx.target),
    (r, row) => {
      const pair = pairs[r]!;
      const n = references[pair.owner]!.length;
      const map = maps[pair.owner]!;
      const m = row.inputGradient!;
      for (let j = 0; j < size; j++) map[j]! += ((pair.input[j]! - pair.reference[j]!) * m[j]!) / n;
      if (row.referenceObjective === undefined) throw new LumenError('internal', 'The DeepLIFT graph has no reference objective output.');
      deltas[pair.owner]! += (row.objective - row.referenceObjective) / n;
    },
    ctx.runOptions,
  );
  return maps.map((map, i) => {
    const total = sum(map);
    return {
      map,
      figures: { attributionSum: total, outputDifference: deltas[i]!, summationToDeltaError: Math.abs(total - deltas[i]!) },
    };
  });
}

export const deepLiftMethod = defineMethod({
  id: 'deeplift',
  schema: DeepLiftParams,
  async attributeMany(ctx, inputs, params) {
    const graph = await ctx.graph(deepLiftRuleSetFor(params.maxPool), params.objective);
    const references = await Promise.all(inputs.map(async (x) => [await resolveBaseline(params.baseline, x, ctx.pixels, { seed: params.seed, blurSigma: params.blurSigma })]));
    return deepLift(ctx, graph, inputs, references);
  },
});

export const deepShapMethod = defineMethod({
  id: 'deepshap',
  schema: DeepShapParams,
  async attributeMany(ctx, inputs, params) {
    const graph = await ctx.graph(deepLiftRuleSetFor(params.maxPool), params.objective);
    const size = inputs[0]?.length ?? 0;
    const fromFile = params.baselines ? await readBaselineRows(params.baselines, size) : undefined;
    // Without a file: black, white, and uniform noise images (different seeds) up to `samples`.
    const references = await Promise.all(
      inputs.map(async (x) => {
        if (fromFile) return fromFile;
        const list = [ctx.pixels.constant(0), ctx.pixels.constant(1)];
        for (let s = 0; list.length < params.samples; s++) list.push(await resolveBaseline('uniform-noise', x, ctx.pixels, { seed: params.seed + s, blurSigma: params.blurSigma }));
        return list.slice(0, params.samples);
      }),
    );
    return deepLift(ctx, graph, inputs, references);
  },
});
