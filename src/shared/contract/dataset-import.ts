import { z } from 'zod';

/**
 * Importing a dataset into a project, in every format the CLI knows, and merging the shards of a
 * sharded audit. Every door (the app, the browser bridge, `lumen import`, `lumen merge`) sends
 * these requests and gets the one report below: a bad row is a problem with where it is, and the
 * import goes on with the good rows.
 */

const Name = z.string().min(1).max(200);
const ProjectPath = z.string().min(1).max(4096);
const SourcePath = z.string().min(1).max(4096);

/** What every import names: the project, the dataset, and whether it only looks (`preview`). */
const importTarget = {
  project: ProjectPath,
  dataset: Name,
  /** Reads and checks everything as the import would, and reports what it would do; the project is not changed. */
  preview: z.boolean().default(false),
  /** Creates the project if the folder is not one yet (the CLI's --create); the sources are checked first. */
  create: z.boolean().default(false),
};

/**
 * `layout`: `labelled-folders` (sub-folders are labels), `dicom` (grouped by patient, study and
 * series; no labels from folder names) or `auto` (the default: `dicom` when every image file in
 * the folder is DICOM).
 */
export const FolderLayout = z.enum(['auto', 'labelled-folders', 'dicom']);
export type FolderLayout = z.infer<typeof FolderLayout>;

/** Boxes are ground truth (`box`) or regions of interest such as text markers (`region`). */
export const BoxKind = z.enum(['box', 'region']);
export type BoxKind = z.infer<typeof BoxKind>;

/** A label CSV's key: the image's SOP Instance UID, or its file path relative to the dataset root. */
export const LabelsKey = z.enum(['sop', 'file']);
export type LabelsKey = z.infer<typeof LabelsKey>;

/**
 * One import, by format. `format` may be left out for a folder (what `datasets.import` always
 * accepted). A CSV whose header is `path` and finding columns is multi-label ground truth.
 */
export const ImportParams = z.discriminatedUnion('format', [
  z.object({ format: z.literal('folder').default('folder'), ...importTarget, folder: SourcePath, layout: FolderLayout.optional() }).strict(),
  z.object({ format: z.literal('csv'), ...importTarget, csv: SourcePath, root: SourcePath }).strict(),
  z.object({ format: z.literal('coco'), ...importTarget, coco: SourcePath, root: SourcePath, boxes: BoxKind.default('box') }).strict(),
  z.object({ format: z.literal('voc'), ...importTarget, voc: SourcePath, root: SourcePath, boxes: BoxKind.default('box') }).strict(),
  /** Mask images (non-zero = object) named after the images of a dataset already imported. */
  z.object({ format: z.literal('masks'), ...importTarget, masks: SourcePath, label: z.string().max(200).default('') }).strict(),
  /** The files a DICOMDIR's records reference (inside its folder). */
  z.object({ format: z.literal('dicomdir'), ...importTarget, dicomdir: SourcePath }).strict(),
  /** Labels (and splits) for the images of an imported dataset, keyed by SOP Instance UID or file path. */
  z.object({ format: z.literal('labels'), ...importTarget, labels: SourcePath, key: z.enum(['auto', 'sop', 'file']).default('auto') }).strict(),
  /** The folder an imported dataset's images moved to (all of them must be there). */
  z.object({ format: z.literal('reroot'), ...importTarget, reroot: SourcePath }).strict(),
]);
export type ImportParams = z.output<typeof ImportParams>;
export type ImportFormat = ImportParams['format'];

/** A row or file that could not be imported as it was, with where it is (file and line) and why. */
export const ImportProblem = z.object({
  where: z.string(),
  reason: z.string(),
  /** True when the row was imported all the same, changed as the reason says (a box clipped to its image). */
  kept: z.boolean().optional(),
});
export type ImportProblem = z.infer<typeof ImportProblem>;

/** Counts of a dataset's DICOM images by patient, study and series; `multiFrame` files are one image each (their first frame). */
export const DicomGrouping = z.object({
  patients: z.number().int().nonnegative(),
  studies: z.number().int().nonnegative(),
  series: z.number().int().nonnegative(),
  images: z.number().int().nonnegative(),
  multiFrame: z.number().int().nonnegative(),
});
export type DicomGrouping = z.infer<typeof DicomGrouping>;

const Count = z.number().int().nonnegative();

/** What an import did (or, for a preview, would do). */
export const ImportReport = z.object({
  dataset: z.string(),
  images: z.object({ added: Count, updated: Count, unchanged: Count }),
  annotations: z.object({ added: Count, unchanged: Count }),
  problems: z.array(ImportProblem),
  /** For DICOM imports: how the dataset's DICOM images group (after the import). */
  dicom: DicomGrouping.optional(),
  /** For a label CSV: what its first column was matched against. */
  labelsKey: LabelsKey.optional(),
  /** For a re-root: how many images now resolve under the new root. */
  moved: Count.optional(),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const MergeParams = z.object({ project: ProjectPath }).strict();

/** A merge of the shard databases of `lumen audit --shard i/N`: results added, and those already in the project. */
export const MergeCounts = z.object({ shards: Count, added: Count, unchanged: Count });
export type MergeCounts = z.infer<typeof MergeCounts>;
