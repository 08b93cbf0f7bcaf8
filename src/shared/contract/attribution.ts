import { z } from 'zod';
import { Float32, Int32 } from './binary';
import { ExecutionProviderReport } from './execution-provider';

const Id = z.string().min(1).max(200);

/** What to explain: an opened image (preprocessed by the model card) or a ready tensor. */
export const AttributionInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('image'), imageId: Id }).strict(),
  z.object({ kind: z.literal('tensor'), dims: z.array(z.number().int().positive()).min(1).max(8), data: Float32 }).strict(),
]);

export const AttributeParams = z
  .object({
    modelId: Id,
    input: AttributionInput,
    method: z.string().min(1).max(100),
    /** Class index; the model's top class when absent. */
    target: z.number().int().nonnegative().optional(),
    params: z.record(z.string(), z.unknown()).default({}),
    repeat: z.number().int().min(1).max(100).default(1),
  })
  .strict();

export const AttributionResult = z.object({
  method: z.string(),
  target: z.number().int(),
  targetLabel: z.string(),
  objective: z.string().nullable(),
  params: z.record(z.string(), z.unknown()),
  kind: z.enum(['pixel', 'map']),
  dims: z.array(z.number().int()),
  data: Float32,
  figures: z.record(z.string(), z.number()),
  timings: z.object({
    computeMs: z.number().nonnegative(),
    computeRunsMs: z.array(z.number()),
    compileMs: z.number().nonnegative(),
    preprocessMs: z.number().nonnegative(),
    /** From the request's arrival in the engine to the start of its work. */
    queueMs: z.number().nonnegative().optional(),
    /** From the request's arrival in the engine to its result (queue, preprocessing, target, graphs, compute). */
    engineMs: z.number().nonnegative().optional(),
    /** When the request reached the engine, as a wall-clock time (performance.timeOrigin + performance.now(), ms). */
    arrivedAtMs: z.number().optional(),
  }),
  graphSource: z.array(z.enum(['memory', 'disk', 'compiled'])),
  graphRuns: z.number().int().nonnegative(),
  executionProvider: ExecutionProviderReport,
  notes: z.array(z.string()),
  /** Region methods (XRAI): each pixel's region rank (1 = most important) and the ranked regions. */
  regions: z
    .object({
      ranks: Int32,
      list: z.array(z.object({ rank: z.number().int().positive(), gain: z.number(), area: z.number().int(), cumulativeArea: z.number() })),
    })
    .optional(),
  /** Segment methods (LIME, SHAP): each pixel's segment label and each segment's value. */
  segments: z.object({ labels: Int32, values: z.array(z.number()) }).optional(),
});
export type AttributionResult = z.infer<typeof AttributionResult>;

export const SpatialLayerInfo = z.object({
  name: z.string(),
  op: z.string(),
  shape: z.array(z.number().int()),
  /** `tokens`: a transformer's [1, extraTokens + H·W, C] sequence read as its patch grid. */
  layout: z.enum(['NCHW', 'NHWC', 'tokens']),
  /** Class/register tokens before the patches, left out of the grid (token layers only). */
  extraTokens: z.number().int().optional(),
  channels: z.number().int(),
  height: z.number().int(),
  width: z.number().int(),
  isDefault: z.boolean(),
});

export const MethodDescription = z.object({
  id: z.string(),
  family: z.string(),
  label: z.string(),
  summary: z.string(),
  output: z.enum(['pixel', 'map']),
  stochastic: z.boolean(),
  reference: z.string(),
  /** JSON Schema of the parameters (the UI renders forms from it). */
  params: z.record(z.string(), z.unknown()),
});
