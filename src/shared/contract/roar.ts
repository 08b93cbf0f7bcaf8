import { z } from 'zod';

/** Full retraining (retrain "full"): SGD with momentum on the mean cross-entropy. */
export const RoarTraining = z
  .object({
    epochs: z.number().int().min(1).max(1000).optional(),
    learningRate: z.number().gt(0).max(10).optional(),
    momentum: z.number().min(0).lt(1).optional(),
    batchSize: z.number().int().min(1).max(1024).optional(),
    /** `scratch` (the paper: re-initialised as PyTorch's reset_parameters) or `fine-tune` (from the model's weights). */
    init: z.enum(['scratch', 'fine-tune']).optional(),
  })
  .strict();

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
    /**
     * `head`: retrain the classification head on frozen features; `full`: retrain the whole network
     * (small models only, at most 5 M parameters), with the options in `training`.
     */
    retrain: z.enum(['head', 'full']).default('head'),
    training: RoarTraining.optional(),
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
  /** Full retraining: parameters trained, trainings, SGD steps in all, and parameters x images x epochs. */
  parameters: z.number().int().optional(),
  fullTrainings: z.number().int().optional(),
  trainingSteps: z.number().int().optional(),
  parameterImageEpochs: z.number().optional(),
  estimatedMs: z.number().nonnegative(),
});

export const RoarResult = z.object({
  /** `roar-head`: only the head was retrained, on frozen features; `roar-full`: the whole network was. */
  mode: z.enum(['roar-head', 'roar-full']),
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
  /** Full retraining: the options used (`init` says whether it started from scratch). */
  training: z
    .object({ epochs: z.number(), learningRate: z.number(), momentum: z.number(), batchSize: z.number(), init: z.enum(['scratch', 'fine-tune']), seed: z.number() })
    .optional(),
  notes: z.array(z.string()),
});
export type RoarResult = z.infer<typeof RoarResult>;
