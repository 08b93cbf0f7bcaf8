import { LrpCompositeParams, LrpEpsilonParams } from '../../../shared/methods/gradient-methods';
import type { AttributionGraph } from '../attribution/attribution-graph';
import { compositeRuleSet } from '../autodiff/lrp/composites';
import { defineMethod, sum, type Attribution, type MethodContext } from './method';

/** Relevance at the input is what flows back (rules multiply by the input themselves). */
async function relevance(ctx: MethodContext, graph: AttributionGraph, inputs: Float32Array[]): Promise<Attribution[]> {
  const rows = await graph.run(
    inputs.map((input) => ({ input })),
    graph.seedFor(ctx.target),
    ctx.runOptions,
  );
  return rows.map((row) => {
    const map = row.inputGradient!.slice();
    const total = sum(map);
    // Relevance starts as the logit; what is missing at the input was absorbed by biases and stabilisers.
    return { map, figures: { relevanceSum: total, logit: row.objective, conservationError: Math.abs(total - row.objective) } };
  });
}

export const lrpEpsilonMethod = defineMethod({
  id: 'lrp-epsilon',
  schema: LrpEpsilonParams,
  async attributeMany(ctx, inputs, params) {
    return relevance(ctx, await ctx.graph(compositeRuleSet('epsilon', params.epsilon), 'logit'), inputs);
  },
});

export const lrpCompositeMethod = defineMethod({
  id: 'lrp-composite',
  schema: LrpCompositeParams,
  async attributeMany(ctx, inputs, params) {
    return relevance(ctx, await ctx.graph(compositeRuleSet(params.name, params.epsilon), 'logit'), inputs);
  },
});
