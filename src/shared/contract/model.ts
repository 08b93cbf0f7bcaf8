import { z } from 'zod';
import { ResolvedCard } from '../model-card';
import { ExecutionProviderReport } from './execution-provider';

export const TensorInfo = z.object({
  name: z.string(),
  elementType: z.string(),
  /** Dimensions: a number when fixed, the symbolic name (or '?') when dynamic. */
  shape: z.array(z.union([z.number().int(), z.string()])),
});
export type TensorInfo = z.infer<typeof TensorInfo>;

export const ModelSummary = z.object({
  id: z.string(),
  /** File name only: full paths stay out of what the renderer shows and what reports contain. */
  fileName: z.string(),
  sha256: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  builtIn: z.boolean(),
  card: ResolvedCard,
  inputs: z.array(TensorInfo),
  outputs: z.array(TensorInfo),
  executionProvider: ExecutionProviderReport,
  loadMs: z.number().nonnegative(),
});
export type ModelSummary = z.infer<typeof ModelSummary>;

export const ModelDetails = z.object({
  id: z.string(),
  fileName: z.string(),
  sha256: z.string(),
  irVersion: z.number().int(),
  opsets: z.array(z.object({ domain: z.string(), version: z.number().int() })),
  producer: z.string(),
  graphName: z.string(),
  inputs: z.array(TensorInfo),
  outputs: z.array(TensorInfo),
  nodeCount: z.number().int().nonnegative(),
  /** Operator type (domain-qualified when not the default domain) to number of nodes. */
  operators: z.record(z.string(), z.number().int().positive()),
  parameterCount: z.number().int().nonnegative(),
  initializerBytes: z.number().int().nonnegative(),
  metadata: z.record(z.string(), z.string()),
});
export type ModelDetails = z.infer<typeof ModelDetails>;
