import { z } from 'zod';
import { MetricRequest } from './evaluation';

/**
 * Dataset evaluation: every image under a folder (or of a project's dataset) with every method and metric, as audit jobs of
 * one project (progress, pause and cancel, resumed when asked again, results kept), then per
 * method and metric the mean with a bootstrap 95% interval, and the methods ranked. Ground truth
 * comes from sidecar files next to each image: `<stem>.boxes.json` and `<stem>.mask.png`, in
 * pixels of the model input.
 */
export const DatasetEvaluationParams = z
  .object({
    modelId: z.string().min(1).max(200),
    /** A folder of images, imported as a dataset of the project; or else `dataset`. */
    folder: z.string().min(1).max(4096).optional(),
    /** A dataset already in `project` (the app's open project), evaluated as it is, in path order. */
    dataset: z.string().min(1).max(200).optional(),
    /** The project that keeps the jobs and results; by default one of the engine's own for this folder, in its cache folder. */
    project: z.string().min(1).optional(),
    methods: z.array(z.string().min(1).max(100)).min(1).max(16),
    /** Each method's parameters, by method id. */
    params: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    metrics: z.array(MetricRequest).min(1).max(32),
    /** The class explained in every image; by default each image's top class. */
    target: z.number().int().nonnegative().optional(),
    /** At most this many images (the first in path order). */
    limit: z.number().int().positive().optional(),
  })
  .strict()
  .refine((p) => (p.folder === undefined) !== (p.dataset === undefined), {
    message: 'Give either a folder of images or a dataset of the project, not both.',
    path: ['folder'],
  })
  .refine((p) => p.dataset === undefined || p.project !== undefined, { message: 'A dataset is evaluated in its project: give the project too.', path: ['project'] });

export const DatasetEvaluationSummary = z.object({
  method: z.string(),
  metric: z.string(),
  higherIsBetter: z.boolean(),
  n: z.number().int().nonnegative(),
  mean: z.number(),
  ciLow: z.number(),
  ciHigh: z.number(),
});

export const DatasetEvaluationResult = z.object({
  /** The folder, as an absolute path (for a project's dataset: its root). */
  folder: z.string(),
  project: z.string(),
  dataset: z.string(),
  /** Image files found under the folder (within the limit), the unreadable ones included. */
  images: z.number().int().nonnegative(),
  summary: z.array(DatasetEvaluationSummary),
  /** Best first; by mean rank over the metrics every method has a score for. */
  ranking: z.array(z.object({ method: z.string(), ranks: z.record(z.string(), z.number()), meanRank: z.number() })),
  /** An image that could not be read or explained, per method; never the end of the run. */
  failures: z.array(z.object({ image: z.string(), method: z.string(), error: z.string() })),
  /** The audit run of each method in the project (its results: audit.results). */
  runs: z.array(z.object({ method: z.string(), runId: z.number().int(), jobId: z.number().int(), resumed: z.number().int(), computed: z.number().int() })),
});
