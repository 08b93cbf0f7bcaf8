import { completenessNote } from '../../../shared/methods/completeness-warning';
import { IntegratedGradientsParams } from '../../../shared/methods/gradient-methods';
import { readBaselineRows, resolveBaseline } from '../attribution/baselines';
import type { Objective } from '../autodiff/objective';
import { gradientRuleSet } from '../autodiff/rule-set';
import { defineMethod, sum, targetOf, type Attribution, type Figures, type MethodContext } from './method';
import { pathPoints, type StepRule } from './step-rules';

export interface IntegratedGradientsOptions {
  objective: Objective;
  steps: number;
  stepRule: StepRule;
}

/**
 * Integrated Gradients of each input, averaged over its own baselines: (x - x') * sum_i w_i
 * grad f(x' + alpha_i (x - x')). Every path point of every input and baseline, plus the endpoints
 * x and x' (for the completeness check), goes through the compiled graph in as few runs as memory
 * allows. XRAI calls this directly with its black and white baselines.
 */
export async function integratedGradients(ctx: MethodContext, inputs: Float32Array[], baselines: Float32Array[][], options: IntegratedGradientsOptions): Promise<Attribution[]> {
  const graph = await ctx.graph(gradientRuleSet, options.objective);
  const { alphas, weights } = pathPoints(options.stepRule, options.steps);
  const size = inputs[0]?.length ?? 0;

  // Row layout per (input, baseline): the path points, then x, then x'.
  const perPair = alphas.length + 2;
  const pairs = inputs.flatMap((input, i) => baselines[i]!.map((baseline) => ({ input, baseline, inputIndex: i })));
  const sums = pairs.map(() => new Float64Array(size));
  const endpoints = pairs.map(() => ({ fx: 0, fb: 0 }));
  const seeds = inputs.map((_, i) => graph.seedFor(targetOf(ctx, i)));
  await graph.stream(
    pairs.length * perPair,
    (r) => {
      const { input, baseline, inputIndex } = pairs[Math.floor(r / perPair)]!;
      const k = r % perPair;
      const seed = seeds[inputIndex]!;
      if (k === alphas.length) return { input, seed };
      if (k === alphas.length + 1) return { input: baseline, seed };
      const a = alphas[k]!;
      const point = new Float32Array(size);
      for (let j = 0; j < size; j++) point[j] = baseline[j]! + a * (input[j]! - baseline[j]!);
      return { input: point, seed };
    },
    graph.seedFor(ctx.target),
    (r, row) => {
      const p = Math.floor(r / perPair);
      const k = r % perPair;
      if (k === alphas.length) endpoints[p]!.fx = row.objective;
      else if (k === alphas.length + 1) endpoints[p]!.fb = row.objective;
      else {
        const w = weights[k]!;
        const acc = sums[p]!;
        const g = row.inputGradient!;
        for (let j = 0; j < size; j++) acc[j]! += w * g[j]!;
      }
    },
    ctx.runOptions,
  );

  return inputs.map((input, i) => {
    const mine = pairs.map((pair, p) => ({ pair, p })).filter(({ pair }) => pair.inputIndex === i);
    const map = new Float32Array(size);
    let delta = 0;
    for (const { pair, p } of mine) {
      const acc = sums[p]!;
      for (let j = 0; j < size; j++) map[j]! += ((input[j]! - pair.baseline[j]!) * acc[j]!) / mine.length;
      delta += (endpoints[p]!.fx - endpoints[p]!.fb) / mine.length;
    }
    const total = sum(map);
    const figures: Figures = {
      attributionSum: total,
      outputDifference: delta,
      completenessError: Math.abs(total - delta),
      relativeCompletenessError: Math.abs(total - delta) / Math.max(Math.abs(delta), 1e-12),
    };
    // A map that misses f(x) - f(baseline) by more than the tolerance says so, with what to change.
    const note = completenessNote(figures, options);
    return { map, figures, ...(note ? { notes: [note] } : {}) };
  });
}

export const integratedGradientsMethod = defineMethod({
  id: 'integrated-gradients',
  perInputTargets: true,
  schema: IntegratedGradientsParams,
  async attributeMany(ctx, inputs, params) {
    const size = inputs[0]?.length ?? 0;
    const baselinesFor = async (input: Float32Array): Promise<Float32Array[]> =>
      params.baselines
        ? readBaselineRows(params.baselines, size)
        : [await resolveBaseline(params.baseline, input, ctx.pixels, { seed: params.seed, blurSigma: params.blurSigma })];
    const baselines = await Promise.all(inputs.map(baselinesFor));
    return integratedGradients(ctx, inputs, baselines, params);
  },
});
