import { InfidelityParams } from '../../../shared/metrics/metric-params';
import type { PixelSpace } from '../attribution/pixel-space';
import { resolveBaseline } from '../attribution/baselines';
import { LumenError } from '../../../shared/errors';
import { Rng } from '../random/rng';
import { defineMetric } from './metric';

/** The attribution per input value: as it is, or a per-pixel map repeated over the channels. */
function perValue(attribution: Float32Array, pixels: PixelSpace): Float32Array {
  const { height: H, width: W, channels: C, layout } = pixels;
  const plane = H * W;
  if (attribution.length === plane * C) return attribution;
  if (attribution.length !== plane) throw new LumenError('invalid-argument', `The attribution has ${attribution.length} values; for this model it must have ${plane * C} or ${plane}.`);
  return Float32Array.from({ length: plane * C }, (_, i) => attribution[layout === 'NCHW' ? i % plane : Math.floor(i / C)]!);
}

/**
 * Infidelity (Yeh et al. 2019): E[(Iᵀ Φ − (f(x) − f(x − I)))²] over random perturbations I, either
 * Gaussian noise on every value (the paper's "noisy baseline") or a random square replaced by the
 * baseline ("square removal"). With `normalize`, Φ is first scaled by the β that minimises it, as
 * in the paper's experiments and Captum. Lower is better. Quantus's Infidelity replaces fixed
 * patches cumulatively instead; the paper's definition is the one followed here.
 */
export const infidelityMetric = defineMetric({
  id: 'infidelity',
  schema: InfidelityParams,
  async evaluate(ctx, params) {
    const { pixels, input } = ctx;
    const { height: H, width: W, channels: C, layout } = pixels;
    const phi = perValue(ctx.attribution, pixels);
    const rng = new Rng(params.seed);
    const baseline = params.perturbation === 'square' ? await resolveBaseline(params.baseline, input, pixels, { seed: params.seed, blurSigma: params.blurSigma }) : undefined;
    const side = Math.max(1, Math.round(params.squareSize * Math.min(H, W)));
    // Each perturbation I, drawn up front so that runs are reproducible whatever the batching.
    const perturbations = Array.from({ length: params.samples }, () => {
      if (params.perturbation === 'gaussian') {
        // Plain loops: TypedArray.from with a mapping function is several times slower.
        const I = new Float32Array(input.length);
        for (let i = 0; i < I.length; i++) I[i] = params.noiseStd * rng.normal();
        return I;
      }
      const [y0, x0] = [rng.int(H - side + 1), rng.int(W - side + 1)];
      const I = new Float32Array(input.length);
      for (let y = y0; y < y0 + side; y++) {
        for (let x = x0; x < x0 + side; x++) {
          for (let c = 0; c < C; c++) {
            const i = layout === 'NCHW' ? c * H * W + y * W + x : (y * W + x) * C + c;
            I[i] = input[i]! - baseline![i]!;
          }
        }
      }
      return I;
    });
    const scores = await ctx.scoreInputs(params.objective, params.samples + 1, (k) => {
      if (k === 0) return input;
      const I = perturbations[k - 1]!;
      const perturbed = new Float32Array(input.length);
      for (let i = 0; i < input.length; i++) perturbed[i] = input[i]! - I[i]!;
      return perturbed;
    });
    const predicted = perturbations.map((I) => {
      let s = 0;
      for (let i = 0; i < I.length; i++) s += I[i]! * phi[i]!;
      return s;
    });
    const actual = perturbations.map((_, k) => scores[0]! - scores[k + 1]!);
    let beta = 1;
    if (params.normalize) {
      const num = predicted.reduce((s, p, k) => s + p * actual[k]!, 0);
      const den = predicted.reduce((s, p) => s + p * p, 0);
      beta = den > 0 ? num / den : 0;
    }
    const errors = predicted.map((p, k) => (beta * p - actual[k]!) ** 2);
    return {
      score: errors.reduce((a, b) => a + b, 0) / errors.length,
      curves: [{ name: 'perturbations', xLabel: 'Iᵀ Φ (predicted change)', yLabel: `${params.objective} change`, x: predicted.map((p) => beta * p), y: actual }],
      figures: { samples: params.samples, beta },
      forwardPasses: params.samples + 1,
    };
  },
});
