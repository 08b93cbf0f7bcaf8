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

/** A multi-label model's finding: its own probability and the decision at the card's threshold. */
export const Finding = z.object({
  index: z.number().int().nonnegative(),
  label: z.string(),
  /** The finding's sigmoid probability (independent of the other findings). */
  probability: z.number(),
  logit: z.number().nullable(),
  threshold: z.number(),
  /** probability >= threshold: the model calls the finding present. */
  present: z.boolean(),
});
export type Finding = z.infer<typeof Finding>;

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
  /** Multi-label models only: every finding, most probable first. */
  findings: z.array(Finding).optional(),
  timings: Timings,
  executionProvider: ExecutionProviderReport,
});
export type Classification = z.infer<typeof Classification>;
