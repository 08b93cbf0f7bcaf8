import { z } from 'zod';

/** What part of a project's stored data changed. */
export const ProjectChangeKind = z.enum(['audit', 'dataset', 'annotations', 'explanations']);
export type ProjectChangeKind = z.infer<typeof ProjectChangeKind>;

/**
 * The `project.changed` event: a project's stored data changed, so views of it are stale. It names
 * the project by the path the change was asked with (the path clients opened it with) and, where
 * it knows them, the run and the dataset, so a view can refetch only what it shows.
 */
export const ProjectChanged = z.object({
  project: z.string().min(1),
  what: ProjectChangeKind,
  /** An audit's run (its results are the columns of the dataset browser). */
  runId: z.number().int().positive().optional(),
  dataset: z.string().optional(),
  /** An audit still running: more results will land (its views refresh again). */
  running: z.boolean().optional(),
});
export type ProjectChanged = z.infer<typeof ProjectChanged>;
