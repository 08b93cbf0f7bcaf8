import { AxiomsParams } from '../../../shared/metrics/metric-params';
import { BaselineParam } from '../../../shared/methods/common-params';
import { resolveBaseline } from '../attribution/baselines';
import type { Objective } from '../autodiff/objective';
import { spearman } from '../methods/rank-correlation';
import { withInsertedBatchNorms } from './equivalent-model';
import { defineMetric, type MetricContext } from './metric';
import { syntheticAxiomCase } from './synthetic-axiom-model';

function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]!));
  return m;
}

/** The objective and baseline the method used, as far as its parameters say (zeros otherwise). */
function methodReference(ctx: MetricContext): { objective: Objective; baseline: string } {
  const objective = ctx.methodParams['objective'];
  const baseline = BaselineParam.safeParse(ctx.methodParams['baseline']);
  return {
    objective: objective === 'probability' || objective === 'log-probability' || objective === 'sigmoid' ? objective : 'logit',
    baseline: baseline.success ? baseline.data : 'zeros',
  };
}

/**
 * The axioms of Sundararajan et al. 2017, each measured on the user's model or on a synthetic one:
 * - completeness: the attributions add up to f(x) - f(baseline) (the method's own baseline);
 * - implementation invariance: the same function with a BatchNormalization after every Conv (weights
 *   compensated) gives the same attributions: gradient methods must, rule-based ones may not;
 * - dummy: on a synthetic model that ignores half of the image, that half gets nothing;
 * - symmetry: on the same model, inputs with the same role, value and baseline get the same share.
 * A figure per axiom says how far off it is and whether it holds within `tolerance`; methods that
 * cannot run on the synthetic model (e.g. CAMs, which need a spatial layer) skip the last two.
 */
export const axiomsMetric = defineMetric({
  id: 'axioms',
  schema: AxiomsParams,
  async evaluate(ctx, params) {
    const figures: Record<string, number> = {};
    const verdict = (name: string, error: number): void => {
      figures[`${name}Error`] = error;
      figures[`${name}Holds`] = error <= params.tolerance ? 1 : 0;
    };
    const phi = ctx.attribution;
    const scale = maxAbs(phi);

    const { objective, baseline } = methodReference(ctx);
    const reference = await resolveBaseline(baseline, ctx.input, ctx.pixels, { seed: params.seed, blurSigma: 10 });
    const [fx, fb] = await ctx.scoreInputs(objective, 2, (i) => (i === 0 ? ctx.input : reference));
    const delta = fx! - fb!;
    let total = 0;
    for (const v of phi) total += v;
    figures['attributionSum'] = total;
    figures['outputDifference'] = delta;
    verdict('completeness', Math.abs(total - delta) / Math.max(Math.abs(delta), 1e-12));

    const equivalent = withInsertedBatchNorms(ctx.model, params.seed);
    if (equivalent.inserted > 0) {
      const other = await ctx.attributeVariant(equivalent.model);
      let diff = 0;
      for (let i = 0; i < phi.length; i++) diff = Math.max(diff, Math.abs(phi[i]! - other[i]!));
      figures['insertedBatchNorms'] = equivalent.inserted;
      figures['implementationInvarianceSpearman'] = spearman(phi, other);
      verdict('implementationInvariance', scale > 0 ? diff / scale : diff);
    }

    const synthetic = syntheticAxiomCase(ctx.model, ctx.pixels, ctx.classCount, params.seed);
    let map: Float32Array | undefined;
    try {
      map = await ctx.attributeVariant(synthetic.model, synthetic.input);
    } catch {
      figures['syntheticNotApplicable'] = 1;
    }
    if (map && map.length === synthetic.active.length) {
      const top = Math.max(maxAbs(map), 1e-30);
      let dummy = 0;
      const { height: H, width: W, channels: C, layout } = ctx.pixels;
      const lo = new Float64Array(C).fill(Infinity);
      const hi = new Float64Array(C).fill(-Infinity);
      map.forEach((v, i) => {
        if (!synthetic.active[i]) dummy = Math.max(dummy, Math.abs(v));
        else {
          const c = layout === 'NCHW' ? Math.floor(i / (H * W)) : i % C;
          lo[c] = Math.min(lo[c]!, v);
          hi[c] = Math.max(hi[c]!, v);
        }
      });
      let spread = 0;
      for (let c = 0; c < C; c++) spread = Math.max(spread, hi[c]! - lo[c]!);
      verdict('dummy', dummy / top);
      verdict('symmetry', spread / top);
    } else if (map) {
      figures['syntheticNotApplicable'] = 1;
    }

    const holds = Object.entries(figures).filter(([k]) => k.endsWith('Holds'));
    figures['checked'] = holds.length;
    figures['passed'] = holds.filter(([, v]) => v === 1).length;
    return { score: figures['passed']! / figures['checked']!, curves: [], figures, forwardPasses: 2 };
  },
});
