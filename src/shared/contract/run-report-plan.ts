import { z } from 'zod';
import { ModelCard } from '../model-card';

/** Without a selection, a report of a large audit run explains at most this many of its images. */
export const runReportImages = 12;

/** Which audit run a report is about, and optionally which of its images (paths, or file names when unique). */
export const PlanRunReportParams = z
  .object({
    project: z.string().min(1),
    runId: z.number().int().positive(),
    images: z.array(z.string().min(1)).max(1000).optional(),
  })
  .strict();

/** What a report of an audit run is made of: the run's dataset, method, parameters, metrics, model and images. */
export const RunReportPlan = z
  .object({
    runId: z.number().int().positive(),
    dataset: z.string(),
    method: z.string(),
    params: z.record(z.string(), z.unknown()),
    metrics: z.array(z.string()),
    /** The images the report explains (paths relative to the dataset root). */
    images: z.array(z.string()),
    /** How many images the run has, and how many of them were left out of `images`. */
    runImages: z.number().int().nonnegative(),
    leftOut: z.number().int().nonnegative(),
    /** The model the run used, as stored in the project: the report must be made with the same file. */
    model: z.object({ fileName: z.string(), sha256: z.string(), card: ModelCard }).strict(),
  })
  .strict();
export type RunReportPlan = z.infer<typeof RunReportPlan>;
