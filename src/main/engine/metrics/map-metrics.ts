import { ComplexityParams, LocalisationParams, PointingGameParams, TopFractionIoUParams, TopKIntersectionParams } from '../../../shared/metrics/metric-params';
import type { MetricId } from '../../../shared/metrics/catalogue';
import { complexity } from './functions/complexity';
import { energyPointingGame, pointingGame, relevanceMassAccuracy, relevanceRankAccuracy, topFractionIoU, topKIntersection } from './functions/localisation';
import { sparseness } from './functions/sparseness';
import { defineMetric, type MetricContext, type MetricValue } from './metric';
import { pixelRelevance, type PixelReduction } from './pixel-relevance';

/**
 * Metrics that read the map alone (complexity) or the map against the ground truth (localisation):
 * no forward passes. Each wraps one function of `functions/`, where the definitions and their
 * sources are documented.
 */

function map(ctx: MetricContext, params: { reduce: PixelReduction; absolute: boolean }): Float64Array {
  const relevance = pixelRelevance(ctx.attribution, ctx.pixels, params.reduce);
  return params.absolute ? relevance.map(Math.abs) : relevance;
}

function value(score: number, figures: Record<string, number> = {}): MetricValue {
  return { score, curves: [], figures, forwardPasses: 0 };
}

/** The ground truth; the evaluation service has checked it is there for these metrics. */
function truth(ctx: MetricContext): Uint8Array {
  return ctx.groundTruth!;
}

const localisation = (id: MetricId, score: (m: Float64Array, mask: Uint8Array) => number) =>
  defineMetric({ id, schema: LocalisationParams, evaluate: async (ctx, params) => value(score(map(ctx, params), truth(ctx))) });

export const pointingGameMetric = defineMetric({
  id: 'pointing-game',
  schema: PointingGameParams,
  evaluate: async (ctx, params) => value(pointingGame(map(ctx, params), truth(ctx), { tolerance: params.tolerance, width: ctx.pixels.width })),
});
export const energyPointingGameMetric = localisation('energy-pointing-game', energyPointingGame);
export const relevanceMassAccuracyMetric = localisation('relevance-mass-accuracy', relevanceMassAccuracy);
export const relevanceRankAccuracyMetric = localisation('relevance-rank-accuracy', relevanceRankAccuracy);

export const topFractionIoUMetric = defineMetric({
  id: 'top-fraction-iou',
  schema: TopFractionIoUParams,
  evaluate: async (ctx, params) => {
    const m = map(ctx, params);
    if (params.threshold === undefined) return value(topFractionIoU(m, truth(ctx), params.fraction), { fraction: params.fraction });
    const mask = truth(ctx);
    const cut = params.threshold * Math.max(...m);
    let inter = 0;
    let union = 0;
    let area = 0;
    m.forEach((v, p) => {
      const on = v >= cut && cut > 0;
      if (on) area++;
      if (on && mask[p]) inter++;
      if (on || mask[p]) union++;
    });
    return value(union > 0 ? inter / union : 0, { threshold: params.threshold, fraction: area / m.length });
  },
});

export const topKIntersectionMetric = defineMetric({
  id: 'top-k-intersection',
  schema: TopKIntersectionParams,
  evaluate: async (ctx, params) => value(topKIntersection(map(ctx, params), truth(ctx), Math.min(params.k, ctx.pixels.height * ctx.pixels.width)), { k: Math.min(params.k, ctx.pixels.height * ctx.pixels.width) }),
});

export const sparsenessMetric = defineMetric({ id: 'sparseness', schema: ComplexityParams, evaluate: async (ctx, params) => value(sparseness(map(ctx, params))) });
export const complexityMetric = defineMetric({ id: 'complexity', schema: ComplexityParams, evaluate: async (ctx, params) => value(complexity(map(ctx, params))) });
