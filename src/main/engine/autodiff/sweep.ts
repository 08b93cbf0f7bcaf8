import type { Node } from '../onnx/ir';
import type { Emitter } from './emitter';
import { noBackward } from './no-backward';
import type { CompilableModel } from './prepare-model';
import type { Grads } from './rule';
import { backwardContextFor, prepareContextFor } from './rule-contexts';
import type { RuleSet } from './rule-set';
import type { SweepPlan } from './sweep-plan';

export const seedInput = 'lumen_seed';

/** The summed gradient of a tensor after the sweep; undefined where none reached it. */
export type GradientOf = (tensor: string) => string | undefined;

/**
 * The reverse sweep: from the objective, seeded with the `seed` input, each node's rule turns its
 * outputs' gradients into its inputs' gradients, emitted as ONNX nodes. Returns where each
 * tensor's gradient ended up (its contributions summed once, on first ask).
 */
export async function sweep(prepared: CompilableModel, plan: SweepPlan, rules: RuleSet, emit: Emitter): Promise<GradientOf> {
  const { forward, forwardIndex, index, ruleOf, reachesObjective, dependsOnSource, parameters } = plan;
  const { opset, probe, probeOne } = prepared;

  // Rules that need onnxruntime to prepare (Resize) do so now, for the nodes the sweep will visit.
  const preparedFor = new Map<Node, unknown>();
  for (const node of forward) {
    const rule = ruleOf.get(node);
    const onPath = node.outputs.some((o) => reachesObjective.has(o)) && node.inputs.some((i) => i && dependsOnSource.has(i));
    if (rule?.prepare && onPath) preparedFor.set(node, await rule.prepare(prepareContextFor(node, opset, probe, probeOne, forwardIndex)));
  }

  const contributions = new Map<string, string[]>();
  const finalGradient = new Map<string, string>();
  const gradientOf: GradientOf = (name) => {
    const done = finalGradient.get(name);
    if (done) return done;
    const parts = contributions.get(name);
    if (!parts || parts.length === 0) return undefined;
    const total = emit.sum(parts);
    finalGradient.set(name, total);
    return total;
  };
  contributions.set(plan.objective.start, [plan.objective.seedGradient(seedInput, rules.seed ?? 'gradient')]);

  for (let i = forward.length - 1; i >= 0; i--) {
    const node = forward[i]!;
    if (!node.outputs.some((o) => reachesObjective.has(o))) continue;
    const rule = ruleOf.get(node);
    const needs = node.inputs.map((name) => !!name && dependsOnSource.has(name) && (!index.initializers.has(name) || parameters.has(name)));
    if (!needs.some(Boolean)) continue;
    const gradOutputs: Grads = node.outputs.map((o) => (o ? gradientOf(o) : undefined));
    if (gradOutputs.every((g) => g === undefined)) continue;
    if (!rule) throw noBackward(node, rules, opset);
    const ctx = backwardContextFor(node, { emit, probe, probeOne, batchable: prepared.batchable, index: forwardIndex, needs, referenceName: plan.reference.name, rules, prepared: preparedFor.get(node), parameters });
    const grads = rule.backward(ctx, gradOutputs);
    grads.forEach((g, k) => {
      const name = node.inputs[k];
      if (!g || !name || !needs[k]) return;
      const list = contributions.get(name);
      if (list) list.push(g);
      else contributions.set(name, [g]);
    });
  }
  return gradientOf;
}
