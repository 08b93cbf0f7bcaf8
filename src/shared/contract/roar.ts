import { z } from 'zod';

/** ROAR (Hooker et al. 2019) on a labelled image folder. */
export const RoarParams = z
  .object({
    modelId: z.string().min(1).max(200),
    /** A folder with one sub-folder per class. */
    dataset: z.string().min(1),
    method: z.string().min(1).max(100),
    params: z.record(z.string(), z.unknown()).default({}),
    fractions: z.array(z.number().gt(0).lt(1)).min(1).max(20).default([0.1, 0.3, 0.5, 0.7, 0.9]),
    testFraction: z.number().gt(0).lt(1).default(0.2),
    /** `head`: retrain the classification head on frozen features; `full` is not available yet. */
    retrain: z.enum(['head', 'full']).default('head'),
    limit: z.number().int().positive().optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
    /** Only measure one image and return the cost estimate. */
    estimateOnly: z.boolean().default(false),
  })
  .strict();

export const RoarEstimate = z.object({
  images: z.number().int(),
  attributions: z.number().int(),
  featurePasses: z.number().int(),
  headTrainings: z.number().int(),
  estimatedMs: z.number().nonnegative(),
});

export const RoarResult = z.object({
  /** Always `roar-head`: only the head was retrained, on frozen features. */
  mode: z.literal('roar-head'),
  method: z.string(),
  classes: z.array(z.string()),
  trainImages: z.number().int(),
  testImages: z.number().int(),
  fractions: z.array(z.number()),
  /** Test accuracy of a head retrained on unmodified images. */
  baselineAccuracy: z.number(),
  /** Test accuracy after removing the top fraction of pixels by the method, and by a random ranking. */
  methodAccuracy: z.array(z.number()),
  randomAccuracy: z.array(z.number()),
  /** Mean of random minus method accuracy over the fractions: how much more the method's pixels matter. */
  score: z.number(),
  estimate: RoarEstimate,
  computeMs: z.number().nonnegative(),
  notes: z.array(z.string()),
});
export type RoarResult = z.infer<typeof RoarResult>;
