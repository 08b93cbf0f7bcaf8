import { RoadParams } from '../../../shared/metrics/metric-params';
import { Rng } from '../random/rng';
import { noisyLinearImputation } from './functions/noisy-linear-imputation';
import { defineMetric, type Curve } from './metric';
import { pixelRelevance, rankDescending, trapezoid } from './pixel-relevance';

/**
 * ROAD, "Remove And Debias" (Rong et al. 2022): remove a growing fraction of the pixels, most
 * relevant first (MoRF) and least relevant first (LeRF), and replace them by noisy linear
 * imputation from their neighbours instead of a constant, so that the shape of the removed set
 * does not itself tell the model anything. A faithful attribution makes the MoRF curve fall fast
 * and the LeRF curve stay high; the score is the area under LeRF minus the area under MoRF, over
 * the removed fraction. Quantus's ROAD reports the MoRF accuracy only; both curves are returned.
 */
export const roadMetric = defineMetric({
  id: 'road',
  schema: RoadParams,
  async evaluate(ctx, params) {
    const { pixels, input } = ctx;
    const { height: H, width: W, channels: C, layout } = pixels;
    const n = H * W;
    const order = rankDescending(pixelRelevance(ctx.attribution, pixels, params.reduce));
    const fractions = [...params.fractions].sort((a, b) => a - b);
    const rng = new Rng(params.seed);
    const images: Float32Array[] = [];
    for (const morf of [true, false]) {
      for (const f of fractions) {
        const count = Math.round(f * n);
        const remove = new Uint8Array(n);
        for (let r = 0; r < count; r++) remove[order[morf ? r : n - 1 - r]!] = 1;
        images.push(noisyLinearImputation(input, layout, C, H, W, remove, { noise: params.noise, rng }));
      }
    }
    const scores = await ctx.scoreInputs(params.objective, images.length + 1, (i) => (i === 0 ? input : images[i - 1]!));
    const x = [0, ...fractions];
    const k = fractions.length;
    const morfCurve = [scores[0]!, ...Array.from(scores.subarray(1, k + 1))];
    const lerfCurve = [scores[0]!, ...Array.from(scores.subarray(k + 1, 2 * k + 1))];
    const curves: Curve[] = [
      { name: 'MoRF', xLabel: 'fraction of pixels removed (most relevant first)', yLabel: params.objective, x, y: morfCurve },
      { name: 'LeRF', xLabel: 'fraction of pixels removed (least relevant first)', yLabel: params.objective, x, y: lerfCurve },
    ];
    // Areas over the removed range actually covered, normalised by its width.
    const width = x.at(-1)! - x[0]!;
    const morf = trapezoid(x, morfCurve) / width;
    const lerf = trapezoid(x, lerfCurve) / width;
    return { score: lerf - morf, curves, figures: { morfArea: morf, lerfArea: lerf, points: k }, forwardPasses: images.length + 1 };
  },
});
