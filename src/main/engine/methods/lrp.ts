import { LrpCompositeParams, LrpEpsilonParams } from '../../../shared/methods/gradient-methods';
import type { AttributionGraph } from '../attribution/attribution-graph';
import { compositeRuleSet, type StartRelevance } from '../autodiff/lrp/composites';
import { defineMethod, sum, type Attribution, type MethodContext } from './method';

/** Relevance at the input is what flows back (rules multiply by the input themselves). */
async function relevance(ctx: MethodContext, graph: AttributionGraph, inputs: Float32Array[], start: StartRelevance): Promise<Attribution[]> {
  const rows = await graph.run(
    inputs.map((input) => ({ input })),
    graph.seedFor(ctx.target),
    ctx.runOptions,
  );
  return rows.map((row) => {
    const map = row.inputGradient!.slice();
    const total = sum(map);
    // Relevance starts as 1 or as the logit; what is missing at the input was absorbed by biases and stabilisers.
    const startValue = start === 'one' ? 1 : row.objective;
    return { map, figures: { relevanceSum: total, startRelevance: startValue, logit: row.objective, conservationError: Math.abs(total - startValue) } };
  });
}

export const lrpEpsilonMethod = defineMethod({
  id: 'lrp-epsilon',
  schema: LrpEpsilonParams,
  async attributeMany(ctx, inputs, params) {
    const rules = compositeRuleSet('epsilon', { epsilon: params.epsilon, startRelevance: params.startRelevance });
    return relevance(ctx, await ctx.graph(rules, 'logit'), inputs, params.startRelevance);
  },
});

export const lrpCompositeMethod = defineMethod({
  id: 'lrp-composite',
  schema: LrpCompositeParams,
  async attributeMany(ctx, inputs, params) {
    const rules = compositeRuleSet(params.name, { epsilon: params.epsilon, startRelevance: params.startRelevance, zPlusBias: params.zPlusBias });
    return relevance(ctx, await ctx.graph(rules, 'logit'), inputs, params.startRelevance);
  },
});
