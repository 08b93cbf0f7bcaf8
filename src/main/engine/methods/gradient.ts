import { GradientParams, PlainParams } from '../../../shared/methods/gradient-methods';
import type { Objective } from '../autodiff/objective';
import { gradientRuleSet, type RuleSet } from '../autodiff/rule-set';
import { deconvnetRuleSet, guidedBackpropRuleSet } from '../autodiff/rule-sets/guided-backprop';
import { defineMethod, multiply, targetOf, type MethodContext } from './method';

/** Gradients (plain or modified by a rule set) for several inputs in batched runs. */
async function gradients(ctx: MethodContext, inputs: Float32Array[], rules: RuleSet, objective: Objective): Promise<Float32Array[]> {
  const graph = await ctx.graph(rules, objective);
  const rows = await graph.run(
    inputs.map((input, i) => ({ input, seed: graph.seedFor(targetOf(ctx, i)) })),
    graph.seedFor(ctx.target),
    ctx.runOptions,
  );
  return rows.map((r) => r.inputGradient!.slice());
}

/**
 * |v| of every value, overwriting the map (each is a fresh copy): a plain loop, because
 * Float32Array.map(Math.abs) calls back per element (3.6 ms on a 224 x 224 x 3 map, 0.1 ms this way).
 */
function absoluteInPlace(map: Float32Array): Float32Array {
  for (let i = 0; i < map.length; i++) map[i] = Math.abs(map[i]!);
  return map;
}

export const gradientMethod = defineMethod({
  id: 'gradient',
  perInputTargets: true,
  schema: GradientParams,
  async attributeMany(ctx, inputs, params) {
    const maps = await gradients(ctx, inputs, gradientRuleSet, params.objective);
    return maps.map((map) => ({ map: params.absolute ? absoluteInPlace(map) : map, figures: {} }));
  },
});

export const gradientXInputMethod = defineMethod({
  id: 'gradient-x-input',
  perInputTargets: true,
  schema: PlainParams,
  async attributeMany(ctx, inputs, params) {
    const maps = await gradients(ctx, inputs, gradientRuleSet, params.objective);
    return maps.map((g, i) => ({ map: multiply(g, inputs[i]!), figures: {} }));
  },
});

export const guidedBackpropMethod = defineMethod({
  id: 'guided-backprop',
  perInputTargets: true,
  schema: PlainParams,
  async attributeMany(ctx, inputs, params) {
    return (await gradients(ctx, inputs, guidedBackpropRuleSet, params.objective)).map((map) => ({ map, figures: {} }));
  },
});

export const deconvnetMethod = defineMethod({
  id: 'deconvnet',
  perInputTargets: true,
  schema: PlainParams,
  async attributeMany(ctx, inputs, params) {
    return (await gradients(ctx, inputs, deconvnetRuleSet, params.objective)).map((map) => ({ map, figures: {} }));
  },
});
