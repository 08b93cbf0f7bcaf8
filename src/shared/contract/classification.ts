import { z } from 'zod';
import { OutputKind } from '../model-card';
import { ExecutionProviderReport } from './execution-provider';

export const Prediction = z.object({
  rank: z.number().int().positive(),
  index: z.number().int().nonnegative(),
  label: z.string(),
  /** Softmax of the logits, or the model's own probability output. */
  probability: z.number(),
  /** The raw score when the model outputs logits; null when it outputs probabilities. */
  logit: z.number().nullable(),
});
export type Prediction = z.infer<typeof Prediction>;

export const Timings = z.object({
  decodeMs: z.number().nonnegative(),
  preprocessMs: z.number().nonnegative(),
  inferMs: z.number().nonnegative(),
  totalMs: z.number().nonnegative(),
});
export type Timings = z.infer<typeof Timings>;

export const Classification = z.object({
  modelId: z.string(),
  imageId: z.string(),
  outputKind: OutputKind,
  classCount: z.number().int().positive(),
  predictions: z.array(Prediction),
  timings: Timings,
  executionProvider: ExecutionProviderReport,
});
export type Classification = z.infer<typeof Classification>;
