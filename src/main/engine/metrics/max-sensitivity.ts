import { LumenError } from '../../../shared/errors';
import { MaxSensitivityParams } from '../../../shared/metrics/metric-params';
import { Rng } from '../random/rng';
import { defineMetric } from './metric';

function norm(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]! * values[i]!;
  return Math.sqrt(s);
}

/**
 * Max-sensitivity (Yeh et al. 2019) as Quantus computes it: explain `samples` copies of the input
 * with uniform noise in [-radius, radius] on every value, and take the largest relative change
 * ||Φ(x) − Φ(x + δ)|| / ||Φ(x)|| (Frobenius norms). Lower is better: a robust explanation does not
 * change much when the input barely does.
 */
export const maxSensitivityMetric = defineMetric({
  id: 'max-sensitivity',
  schema: MaxSensitivityParams,
  async evaluate(ctx, params) {
    const reference = ctx.attribution;
    const scale = norm(reference);
    if (scale === 0) throw new LumenError('invalid-argument', 'The attribution is zero everywhere, so a relative change of it is undefined.', 'Evaluate a method that attributes something to this input and target.');
    const rng = new Rng(params.seed);
    const copies = Array.from({ length: params.samples }, () => ctx.input.map((v) => v + (2 * rng.uniform() - 1) * params.radius));
    const maps = await ctx.attribute(copies);
    const ratios = maps.map((m) => {
      if (m.length !== reference.length) throw new LumenError('internal', `The method returned ${m.length} values for a perturbed copy, ${reference.length} for the input.`);
      let s = 0;
      for (let i = 0; i < m.length; i++) s += (m[i]! - reference[i]!) ** 2;
      return Math.sqrt(s) / scale;
    });
    return {
      score: Math.max(...ratios),
      curves: [{ name: 'relative change per copy', xLabel: 'perturbed copy', yLabel: '||Φ(x) − Φ(x + δ)|| / ||Φ(x)||', x: ratios.map((_, i) => i), y: ratios }],
      figures: { samples: params.samples, radius: params.radius, meanSensitivity: ratios.reduce((a, b) => a + b, 0) / ratios.length },
      forwardPasses: 0,
    };
  },
});
