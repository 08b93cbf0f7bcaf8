import { z } from 'zod';
import { ObjectiveParam } from './common-params';

/** Parameter schemas of the attention family. Strict: a misspelt parameter is an error, not ignored. */

export const HeadFusion = z.enum(['mean', 'max', 'min']);

export const AttentionRolloutParams = z
  .object({
    headFusion: HeadFusion.default('mean').describe("How each block's attention heads are combined into one map: their mean (Abnar and Zuidema), maximum or minimum."),
    discardRatio: z
      .number()
      .min(0)
      .max(0.99)
      .default(0)
      .describe("Fraction of each fused attention map's lowest entries set to zero before the rollout (the class token's own row is kept); 0.9 is common for sharper maps."),
  })
  .strict()
  .describe('Class-agnostic: the map shows where the class token gathers information from, whatever the target.');

export const GenericAttentionParams = z
  .object({ objective: ObjectiveParam })
  .strict()
  .describe(
    'Fixed as in the paper: each block’s attention times its gradient, negative parts dropped, heads averaged (Ā); R starts as the identity and each block, first to last, adds Ā·R; the map is the class token’s row (without a class token, the mean of all rows) less the identity, over the patches.',
  );

export const TransformerAttributionParams = z
  .object({})
  .strict()
  .describe(
    'Fixed as in the paper: each block’s attention gradient times its LRP relevance (AttnLRP rules, from 1 at the target logit), negative parts dropped, heads averaged; then the same rollout and class-token readout as generic attention.',
  );
