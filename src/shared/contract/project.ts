import { z } from 'zod';
import { Bytes } from './binary';

/**
 * Projects as the workstation sees them: recent projects, a project's datasets and runs, pages of
 * a dataset's images (with the latest results of a run as columns) and their thumbnails.
 * Paths inside a dataset are relative to its root; the renderer never needs absolute image paths.
 */

const Name = z.string().min(1).max(200);
const ProjectPath = z.string().min(1).max(4096);

export const RecentProject = z.object({ path: z.string(), name: z.string(), openedAt: z.string() });
export type RecentProject = z.infer<typeof RecentProject>;

export const DatasetSummary = z.object({
  name: z.string(),
  images: z.number().int().nonnegative(),
  /** Distinct labels, sorted; empty for an unlabelled dataset. */
  labels: z.array(z.string()),
  /** Images with at least one ground-truth box or mask. */
  annotated: z.number().int().nonnegative(),
  /** For a dataset with DICOM images: how many studies and series they make (the browser then groups by them). */
  dicom: z.object({ studies: z.number().int().nonnegative(), series: z.number().int().nonnegative() }).optional(),
});
export type DatasetSummary = z.infer<typeof DatasetSummary>;

export const JobState = z.enum(['queued', 'running', 'paused', 'done', 'failed', 'cancelled']);

export const RunSummary = z.object({
  id: z.number().int(),
  dataset: z.string().nullable(),
  method: z.string(),
  modelFile: z.string(),
  createdAt: z.string(),
  /** Images with a stored result. */
  results: z.number().int().nonnegative(),
  jobId: z.number().int().nullable(),
  state: JobState.nullable(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const ProjectSummary = z.object({
  path: z.string(),
  name: z.string(),
  schemaVersion: z.number().int(),
  /** True for the bundled demo project (the default model's samples). */
  demo: z.boolean(),
  /** True for a project on a read-only drive or folder: it can be viewed, not changed. */
  readOnly: z.boolean().optional(),
  datasets: z.array(DatasetSummary),
  runs: z.array(RunSummary),
});
export type ProjectSummary = z.infer<typeof ProjectSummary>;

export const OpenProjectParams = z.object({ path: ProjectPath, create: z.boolean().default(false) }).strict();

export const DatasetImagesParams = z
  .object({
    project: ProjectPath,
    dataset: Name,
    /** A run whose results become the prediction, confidence and metric columns. */
    runId: z.number().int().positive().optional(),
    /** Case-insensitive substring of the path, the label or a DICOM image's study or series description. */
    search: z.string().max(200).optional(),
    label: z.string().max(200).optional(),
    /** Only the DICOM images of this study (Study Instance UID; "" for those without one). */
    studyUid: z.string().max(64).optional(),
    /** Only the DICOM images of this series (Series Instance UID; "" for those without one). */
    seriesUid: z.string().max(64).optional(),
    /** `path`, `label`, `series` (DICOM order: study, series number, instance number), `predicted`, `confidence`, or a stored metric of the run. */
    sort: z.string().min(1).max(100).default('path'),
    descending: z.boolean().default(false),
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().positive().max(1000).default(200),
  })
  .strict();

/** Where a DICOM image belongs and which instance it is; the patient is left out (it identifies a person). */
export const DicomImageFacts = z.object({
  sopInstanceUid: z.string().nullable(),
  studyUid: z.string().nullable(),
  studyDescription: z.string().nullable(),
  seriesUid: z.string().nullable(),
  seriesNumber: z.number().int().nullable(),
  seriesDescription: z.string().nullable(),
  instanceNumber: z.number().int().nullable(),
  modality: z.string().nullable(),
  /** Frames in the file; the image is its first frame. */
  frames: z.number().int().positive(),
});
export type DicomImageFacts = z.infer<typeof DicomImageFacts>;

export const DatasetImageRow = z.object({
  path: z.string(),
  label: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  predicted: z.string().nullable(),
  confidence: z.number().nullable(),
  correct: z.boolean().nullable(),
  metrics: z.record(z.string(), z.number()),
  flags: z.array(z.string()),
  /** For a DICOM image: its study, series, instance and frames. */
  dicom: DicomImageFacts.optional(),
});
export type DatasetImageRow = z.infer<typeof DatasetImageRow>;

export const DatasetImagesPage = z.object({
  total: z.number().int().nonnegative(),
  /** Metric columns the run stored (for the table's headers). */
  metricColumns: z.array(z.string()),
  rows: z.array(DatasetImageRow),
});
export type DatasetImagesPage = z.infer<typeof DatasetImagesPage>;

export const DatasetStudiesParams = z.object({ project: ProjectPath, dataset: Name }).strict();

export const DicomSeriesSummary = z.object({
  /** Series Instance UID ("" for images without one). */
  uid: z.string(),
  number: z.number().int().nullable(),
  description: z.string().nullable(),
  modality: z.string().nullable(),
  images: z.number().int().nonnegative(),
  /** Frames of all its files together (more than `images` when some hold several). */
  frames: z.number().int().nonnegative(),
});
export type DicomSeriesSummary = z.infer<typeof DicomSeriesSummary>;

export const DicomStudySummary = z.object({
  /** Study Instance UID ("" for images without one). */
  uid: z.string(),
  description: z.string().nullable(),
  /** "Patient 1", "Patient 2"…: which studies share a patient, without the patient's ID (it identifies a person). */
  patient: z.string(),
  images: z.number().int().nonnegative(),
  series: z.array(DicomSeriesSummary),
});
export type DicomStudySummary = z.infer<typeof DicomStudySummary>;

/** A dataset's DICOM images grouped by patient, study and series, in the order of their paths. */
export const DatasetStudies = z.object({
  patients: z.number().int().nonnegative(),
  studies: z.array(DicomStudySummary),
});
export type DatasetStudies = z.infer<typeof DatasetStudies>;

export const ThumbnailsParams = z
  .object({
    project: ProjectPath,
    dataset: Name,
    paths: z.array(z.string().min(1)).min(1).max(200),
    /** The longer side, in pixels. */
    size: z.number().int().min(16).max(512).default(128),
  })
  .strict();

export const Thumbnail = z.union([
  z.object({ path: z.string(), mime: z.literal('image/png'), width: z.number().int(), height: z.number().int(), data: Bytes }),
  z.object({ path: z.string(), error: z.string() }),
]);
export type Thumbnail = z.infer<typeof Thumbnail>;
