import { LumenError } from '../../../shared/errors';
import { LrpCompositeParams, LrpEpsilonParams } from '../../../shared/methods/gradient-methods';
import type { ModelCard } from '../../../shared/model-card';
import type { AttributionGraph } from '../attribution/attribution-graph';
import { compositeRuleSet, type StartRelevance } from '../autodiff/lrp/composites';
import type { Box } from '../autodiff/lrp/gamma-box-rules';
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

/**
 * The bounds of the input for the z-box rule: as given, or a black and a white pixel through the
 * card's normalisation, (u * scale - mean[c]) / std[c] for u at 0 and 1 (or the card's valueRange),
 * one pair per channel in the model's channel order.
 */
export function inputBox(card: ModelCard, low: number[] | undefined, high: number[] | undefined): Box {
  if (low && high) return { low, high };
  if (low || high) throw new LumenError('invalid-argument', 'The z-box rule got only one of "low" and "high".', 'Give both (one value, or one per channel), or neither to take them from the model card.');
  const p = card.preprocess;
  if (p.zscore) {
    throw new LumenError('invalid-argument', 'The model card standardises each image by its own mean and std (zscore), so the input has no fixed bounds for the z-box rule.', 'Give "low" and "high" in the parameters.');
  }
  const [u0, u1] = p.valueRange ?? [0, 1];
  const channels = Math.max(p.mean.length, p.std.length);
  const through = (u: number): number[] => Array.from({ length: channels }, (_, c) => (u * p.scale - (p.mean[c] ?? p.mean[0]!)) / (p.std[c] ?? p.std[0]!));
  return { low: through(u0), high: through(u1) };
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
    const box = params.name === 'epsilon-gamma-box' ? { box: inputBox(ctx.model.resolved.card, params.low, params.high) } : {};
    const rules = compositeRuleSet(params.name, { epsilon: params.epsilon, startRelevance: params.startRelevance, zPlusBias: params.zPlusBias, gamma: params.gamma, ...box });
    return relevance(ctx, await ctx.graph(rules, 'logit'), inputs, params.startRelevance);
  },
});
