import { z } from 'zod';
import { Bytes, Float32 } from './binary';
import { AttributeParams } from './attribution';
import { ExecutionProviderReport } from './execution-provider';

/** A ground-truth box in the pixels of the model input (x1, y1 exclusive). */
export const GroundTruthBox = z.object({ x0: z.number(), y0: z.number(), x1: z.number(), y1: z.number(), label: z.string().max(200).optional() }).strict();

/** Ground truth for localisation metrics, at the model input size: boxes, or a mask (non-zero = object). */
export const GroundTruth = z
  .object({
    boxes: z.array(GroundTruthBox).min(1).max(1000).optional(),
    mask: z.object({ height: z.number().int().positive(), width: z.number().int().positive(), data: Bytes }).strict().optional(),
  })
  .strict()
  .refine((g) => g.boxes !== undefined || g.mask !== undefined, 'give boxes or a mask');

export const MetricRequest = z
  .object({
    metric: z.string().min(1).max(100),
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

/** What `attribute` takes (less `repeat`), plus the metrics, ground truth and optionally the attribution. */
export const EvaluateParams = AttributeParams.omit({ repeat: true })
  .extend({
    /** An attribution already computed for this input, target and method ([1,C,H,W] or [1,1,H,W]); computed when absent. */
    attribution: z
      .object({ dims: z.array(z.number().int().positive()).min(2).max(4), data: Float32 })
      .strict()
      .refine((a) => a.dims.reduce((n, d) => n * d, 1) === a.data.length, { message: 'the attribution\'s dims do not match its number of values' })
      .optional(),
    metrics: z.array(MetricRequest).min(1, 'name at least one metric').max(32),
    groundTruth: GroundTruth.optional(),
  })
  .strict();

/** A curve a metric measured, as data for plots. */
export const MetricCurve = z.object({
  name: z.string(),
  xLabel: z.string(),
  yLabel: z.string(),
  x: z.array(z.number()),
  y: z.array(z.number()),
  /** A name for each point, when the x axis is categorical (e.g. the layers of a sanity check). */
  labels: z.array(z.string()).optional(),
});

export const MetricOutcome = z.object({
  metric: z.string(),
  category: z.string(),
  higherIsBetter: z.boolean(),
  score: z.number(),
  /** The parameters actually used, defaults and seed included. */
  params: z.record(z.string(), z.unknown()),
  curves: z.array(MetricCurve),
  figures: z.record(z.string(), z.number()),
  forwardPasses: z.number().int().nonnegative(),
  computeMs: z.number().nonnegative(),
});
export type MetricOutcome = z.infer<typeof MetricOutcome>;

export const EvaluationResult = z.object({
  method: z.string(),
  target: z.number().int(),
  targetLabel: z.string(),
  methodParams: z.record(z.string(), z.unknown()),
  attributionMs: z.number().nonnegative(),
  metrics: z.array(MetricOutcome),
  executionProvider: ExecutionProviderReport,
});
export type EvaluationResult = z.infer<typeof EvaluationResult>;

export const MetricDescription = z.object({
  id: z.string(),
  category: z.string(),
  label: z.string(),
  summary: z.string(),
  higherIsBetter: z.boolean(),
  /** Which way is better, in the words every screen uses (src/shared/metrics/metric-meaning.ts). */
  direction: z.enum(['higher', 'lower', 'neither']),
  needsGroundTruth: z.boolean(),
  reference: z.string(),
  /** JSON Schema of the parameters (for forms and `lumen metrics`). */
  params: z.record(z.string(), z.unknown()),
});
