import { z } from 'zod';
import { AttributionResult } from './attribution';
import { Float32, Int32 } from './binary';

/**
 * Explanations of project images stored in the project, so that reopening the image (also after a
 * restart) brings them back. One stored explanation per image, frame, method, target and
 * parameters (saving the same again replaces it); each records what made it (model file and
 * sha256, Lumen version, time) so that a stale one can be told apart from a current one.
 */

/** A project image (and, for a multi-frame DICOM file, its 0-based frame). */
export const ExplainedImage = z
  .object({
    project: z.string().min(1),
    dataset: z.string().min(1).max(200),
    path: z.string().min(1).max(4096),
    frame: z.number().int().min(0).max(65535).default(0),
  })
  .strict();

const Ranked = z.object({ rank: z.number().int().positive(), gain: z.number(), area: z.number().int(), cumulativeArea: z.number() });

/** What an explanation is of: method, parameters as asked (not the method's defaults filled in), target. */
const Identity = {
  method: z.string().min(1).max(100),
  params: z.record(z.string(), z.unknown()),
  target: z.number().int().nonnegative(),
};

/** The stored attribution: its full map (as the engine gave it) and what came with it. */
const StoredMap = {
  targetLabel: z.string(),
  kind: z.enum(['pixel', 'map']),
  dims: z.array(z.number().int().positive()).min(1).max(8),
  data: Float32,
  figures: z.record(z.string(), z.number()),
  notes: z.array(z.string()),
  regions: z.object({ ranks: Int32, list: z.array(Ranked) }).optional(),
  segments: z.object({ labels: Int32, values: z.array(z.number()) }).optional(),
  /** The rest of the engine's answer (parameters with defaults filled in, timings, provider), shown with the map. */
  details: AttributionResult.pick({ objective: true, params: true, timings: true, executionProvider: true, graphSource: true, graphRuns: true }).optional(),
};

/** The model that made it: its file name (for people) and content hash (what decides staleness). */
export const ExplainingModel = z.object({ sha256: z.string().min(1).max(128), fileName: z.string().max(500) });

export const SaveExplanationParams = ExplainedImage.extend({ ...Identity, ...StoredMap, model: ExplainingModel }).strict();

export const SavedExplanation = z.object({
  /** The stored row; null when it was not stored (see `notice`). */
  id: z.number().int().positive().nullable(),
  /** Why it was not stored (too large), for the user. */
  notice: z.string().optional(),
});

export const ListExplanationsParams = ExplainedImage.extend({
  /** The model now open: a stored explanation made by another is stale. */
  modelSha256: z.string().min(1).max(128),
}).strict();

export const StoredExplanation = z.object({
  id: z.number().int().positive(),
  ...Identity,
  ...StoredMap,
  model: ExplainingModel,
  lumenVersion: z.string(),
  createdAt: z.string(),
  /** Why it no longer matches what Lumen would compute now (other model, Lumen version, parameters); null when current. */
  stale: z.string().nullable(),
  /** Why the method refuses the stored parameters now (part of `stale`), so the renderer can apply the rule again for another model. */
  paramsProblem: z.string().optional(),
});
export type StoredExplanation = z.infer<typeof StoredExplanation>;

export const ListedExplanations = z.object({
  explanations: z.array(StoredExplanation),
  /** Stored rows that could not be read (damaged), skipped and left as they are. */
  damaged: z.array(z.number().int()),
});

/** Deletes the stored explanation of this image, frame, method, parameters and target (if any). */
export const DeleteExplanationParams = ExplainedImage.extend(Identity).strict();
