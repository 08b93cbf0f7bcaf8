import { LumenError } from '../../../shared/errors';
import { describeZodError } from '../../../shared/errors';
import { NoiseTunnelParams } from '../../../shared/methods/gradient-methods';
import type { MethodId } from '../../../shared/methods/catalogue';
import { Rng } from '../random/rng';
import { defineMethod, type Figures } from './method';

type Aggregate = 'mean' | 'mean-square' | 'variance';

/** Methods a noise tunnel may wrap: pixel methods that are not noise tunnels themselves. */
const wrappable = new Set(['gradient', 'gradient-x-input', 'guided-backprop', 'deconvnet', 'integrated-gradients', 'deeplift', 'lrp-epsilon', 'lrp-composite']);

/**
 * The noise tunnel (SmoothGrad and its variants): run a base method on noisy copies of the input
 * and aggregate: the mean (SmoothGrad), the mean of squares (SmoothGrad²) or the variance
 * (VarGrad). All copies go to the base method at once, so they share batched runs.
 */
function noiseTunnel(id: MethodId, aggregate: Aggregate, defaultBase: string) {
  return defineMethod({
    id,
    schema: NoiseTunnelParams,
    async attributeMany(ctx, inputs, params) {
      const baseId = params.base ?? defaultBase;
      if (!wrappable.has(baseId)) {
        throw new LumenError('invalid-argument', `A noise tunnel cannot wrap "${baseId}".`, `Choose one of: ${[...wrappable].join(', ')}.`);
      }
      const base = ctx.method(baseId)!;
      const baseParams = base.schema.safeParse(params.baseParams);
      if (!baseParams.success) throw new LumenError('invalid-argument', `Invalid baseParams for ${baseId}: ${describeZodError(baseParams.error)}.`);
      const rng = new Rng(params.seed);
      const noisy: Float32Array[] = [];
      const sigmas: number[] = [];
      for (const input of inputs) {
        let lo = Infinity;
        let hi = -Infinity;
        for (const v of input) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        const sigma = params.noiseStd ?? params.noiseFraction * (hi - lo);
        sigmas.push(sigma);
        for (let s = 0; s < params.samples; s++) noisy.push(rng.addNormal(input, sigma));
      }
      const results = await base.attributeMany(ctx, noisy, baseParams.data);
      return inputs.map((input, i) => {
        const mine = results.slice(i * params.samples, (i + 1) * params.samples);
        const size = input.length;
        const sum = new Float64Array(size);
        // Squares only where the aggregate needs them: SmoothGrad's mean does not.
        const squares = aggregate === 'mean' ? undefined : new Float64Array(size);
        const figures: Figures = { noiseStd: sigmas[i]!, samples: params.samples };
        for (const r of mine) {
          const m = r.map;
          for (let j = 0; j < size; j++) sum[j]! += m[j]!;
          if (squares) for (let j = 0; j < size; j++) squares[j]! += m[j]! * m[j]!;
          for (const [k, v] of Object.entries(r.figures)) figures[`mean ${k}`] = (figures[`mean ${k}`] ?? 0) + v / mine.length;
        }
        const n = mine.length;
        const map = new Float32Array(size);
        for (let j = 0; j < size; j++) {
          const mean = sum[j]! / n;
          map[j] = aggregate === 'mean' ? mean : aggregate === 'mean-square' ? squares![j]! / n : squares![j]! / n - mean * mean;
        }
        return { map, figures };
      });
    },
  });
}

export const smoothGradMethod = noiseTunnel('smoothgrad', 'mean', 'gradient');
export const smoothGradSquaredMethod = noiseTunnel('smoothgrad-squared', 'mean-square', 'gradient');
export const varGradMethod = noiseTunnel('vargrad', 'variance', 'gradient');
export const smoothIgMethod = noiseTunnel('smooth-ig', 'mean', 'integrated-gradients');
