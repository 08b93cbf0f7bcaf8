import { z } from 'zod';
import { MetricRequest } from './evaluation';

/** A dataset audit: one model and method over a project's dataset, as a resumable job. */
export const AuditParams = z
  .object({
    project: z.string().min(1),
    dataset: z.string().min(1).max(200),
    modelId: z.string().min(1).max(200),
    method: z.string().min(1).max(100),
    params: z.record(z.string(), z.unknown()).default({}),
    metrics: z.array(MetricRequest).max(32).default([]),
    /** Only these images of the dataset (paths relative to its root), e.g. a selection in the dataset browser. */
    paths: z.array(z.string().min(1).max(4096)).min(1, 'select at least one image').max(1_000_000).optional(),
    /** At most this many images (the first in path order). */
    limit: z.number().int().positive().optional(),
    /** `i/N`: audit only the i-th of N deterministic slices, into the shard's own database. */
    shard: z.string().regex(/^\d+\/\d+$/, 'a shard is i/N, e.g. 2/8').optional(),
    /** Also write every image's result as CSV to this file. */
    csv: z.string().min(1).optional(),
    /** Replace the `csv` file if it exists (`lumen audit --force`). */
    overwrite: z.boolean().default(false),
  })
  .strict()
  .refine((p) => !(p.paths && p.shard), { message: 'a selection of paths cannot be sharded; shard the whole dataset or audit the selection in one process', path: ['shard'] });

export const AuditFlag = z.object({
  path: z.string(),
  label: z.string().nullable(),
  predicted: z.string(),
  confidence: z.number(),
  reasons: z.array(z.string()),
});

/** A figure with its 95% bootstrap interval; null where the images cannot define it (no positives, say). */
const Estimate = z.object({ value: z.number().nullable(), ciLow: z.number().nullable(), ciHigh: z.number().nullable() });

/** One finding of a multi-label audit, over the images whose truth for it is known. */
export const FindingAudit = z.object({
  finding: z.string(),
  threshold: z.number(),
  images: z.number().int(),
  positives: z.number().int(),
  auroc: Estimate,
  sensitivity: Estimate,
  specificity: Estimate,
  falsePositives: z.number().int(),
  falseNegatives: z.number().int(),
});
export type FindingAudit = z.infer<typeof FindingAudit>;

/** A multi-label model's audit: the per-finding table, and dataset labels that are none of the model's findings. */
export const MultiLabelAudit = z.object({ findings: z.array(FindingAudit), unmatchedLabels: z.array(z.string()) });

export const AuditResult = z.object({
  runId: z.number().int(),
  jobId: z.number().int(),
  state: z.enum(['done', 'cancelled', 'failed']),
  total: z.number().int(),
  /** Images whose results were already in the project (a resumed job). */
  resumed: z.number().int(),
  computed: z.number().int(),
  failures: z.array(z.object({ path: z.string(), error: z.string() })),
  /** What makes the numbers suspect, said at the start too (e.g. dataset labels that are not the model's). */
  warnings: z.array(z.string()).optional(),
  perClass: z.array(z.object({ label: z.string(), images: z.number().int(), accuracy: z.number(), meanConfidence: z.number() })),
  metrics: z.array(z.object({ metric: z.string(), n: z.number().int(), mean: z.number(), ciLow: z.number(), ciHigh: z.number() })),
  flags: z.array(AuditFlag),
  multiLabel: MultiLabelAudit.optional(),
  imagesPerMinute: z.number().nonnegative(),
  storage: z.object({ bytesPerImage: z.number().nonnegative(), msPerImage: z.number().nonnegative(), computeMsPerImage: z.number().nonnegative() }),
});
export type AuditResult = z.infer<typeof AuditResult>;

export const JobInfo = z.object({
  id: z.number().int(),
  runId: z.number().int().nullable(),
  method: z.string().nullable(),
  state: z.enum(['queued', 'running', 'paused', 'done', 'failed', 'cancelled']),
  done: z.number().int(),
  total: z.number().int(),
  error: z.string().nullable(),
  updatedAt: z.string(),
});

export const JobControlParams = z.object({ project: z.string().min(1), jobId: z.number().int().positive() }).strict();

/** One page of an audit's per-image results, sorted and filtered. */
export const AuditResultsParams = z
  .object({
    project: z.string().min(1),
    runId: z.number().int().positive(),
    /** `path`, `confidence`, or any metric or mass share stored per image (e.g. borderMass, deletion). */
    sort: z.string().min(1).max(100).default('path'),
    descending: z.boolean().default(false),
    label: z.string().optional(),
    flagged: z.boolean().optional(),
    correct: z.boolean().optional(),
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().positive().max(10_000).default(100),
  })
  .strict();

export const AuditResultRow = z.object({
  path: z.string(),
  label: z.string().nullable(),
  predicted: z.string(),
  confidence: z.number(),
  correct: z.boolean().nullable(),
  metrics: z.record(z.string(), z.number()),
  flags: z.array(z.string()),
});

export const AuditResultsPage = z.object({ total: z.number().int(), rows: z.array(AuditResultRow) });

/** A past run's summary, from the results stored in the project (speed is not stored, so not here). */
export const AuditSummary = z.object({
  runId: z.number().int(),
  method: z.string(),
  /** Images with a stored result, and the job's total (null when no job is recorded). */
  images: z.number().int().nonnegative(),
  total: z.number().int().nonnegative().nullable(),
  state: z.enum(['queued', 'running', 'paused', 'done', 'failed', 'cancelled']).nullable(),
  warnings: AuditResult.shape.warnings,
  perClass: AuditResult.shape.perClass,
  metrics: AuditResult.shape.metrics,
  flags: z.array(AuditFlag),
  multiLabel: MultiLabelAudit.optional(),
});
export type AuditSummary = z.infer<typeof AuditSummary>;
