import { z } from 'zod';
import { ModelCardFile } from '../model-card';
import { AttributeParams, AttributionResult, MethodDescription, SpatialLayerInfo } from './attribution';
import { Bytes } from './binary';
import { EvaluateParams, EvaluationResult, MetricDescription } from './evaluation';
import { RoarParams, RoarResult } from './roar';
import { DatasetEvaluationParams, DatasetEvaluationResult } from './dataset-evaluation';
import { AuditParams, AuditResult, AuditResultsPage, AuditResultsParams, AuditSummary, JobControlParams, JobInfo } from './audit';
import { Classification } from './classification';
import { ExecutionProviderAvailability, ExecutionProviderRequest } from './execution-provider';
import { ImageSummary, ImageValues, ImageValuesParams, Sample } from './image';
import { ModelDetails, ModelSummary } from './model';
import {
  DatasetImagesPage,
  DatasetImagesParams,
  DatasetStudies,
  DatasetStudiesParams,
  OpenProjectParams,
  ProjectSummary,
  RecentProject,
  Thumbnail,
  ThumbnailsParams,
} from './project';
import { SettingsPatch, SettingsReport } from './settings';
import { Annotation, DeleteAnnotationParams, ImageRef, SaveAnnotationParams } from './annotations';
import { ExportedReport, ExportReportParams, RenderedReport, RenderReportParams } from './report';
import { PlanRunReportParams, RunReportPlan } from './run-report-plan';
import { ExportDicomParams, ExportedDicom } from './dicom-export';
import { DeleteExplanationParams, ListedExplanations, ListExplanationsParams, SavedExplanation, SaveExplanationParams } from './explanations';
import { ImportParams, ImportReport, MergeCounts, MergeParams } from './dataset-import';

/**
 * The engine's whole request surface. Each entry is a zod schema for the parameters and one for the
 * result; both ends validate against them and every type in the app is inferred from here.
 */

const Empty = z.object({}).strict();
const Id = z.string().min(1).max(200);

export const AppInfo = z.object({
  version: z.string(),
  platform: z.string(),
  arch: z.string(),
  nodeVersion: z.string(),
  onnxruntimeVersion: z.string(),
  executionProviders: z.array(ExecutionProviderAvailability),
  defaultModel: z.object({ name: z.string(), fileName: z.string() }),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const OpenModelParams = z
  .object({
    /** An ONNX file; absent means the bundled default model. */
    path: z.string().min(1).optional(),
    /** A card file; absent means `<model>.card.json` next to the model, if there is one. */
    cardPath: z.string().min(1).optional(),
    /** Card fields given inline; they win over the card file. */
    card: ModelCardFile.optional(),
    executionProvider: ExecutionProviderRequest.default('auto'),
  })
  .strict();

/** For a multi-frame DICOM file: the 0-based frame the model sees (the first when absent). */
const frame = { frame: z.number().int().min(0).max(65535).optional() };
export const OpenImageParams = z.discriminatedUnion('source', [
  z.object({ source: z.literal('sample'), sampleId: Id, ...frame }).strict(),
  z.object({ source: z.literal('file'), path: z.string().min(1), ...frame }).strict(),
  z.object({ source: z.literal('bytes'), name: z.string().min(1).max(500), data: Bytes, ...frame }).strict(),
  /** An image of a project's dataset, by its path relative to the dataset's root. */
  z.object({ source: z.literal('project'), project: z.string().min(1), dataset: Id, path: z.string().min(1), ...frame }).strict(),
]);

/** A model given as bytes (the browser door has no paths): stored in Lumen's models folder, then opened. */
export const ImportModelParams = z
  .object({ name: z.string().min(1).max(500), data: Bytes, card: ModelCardFile.optional(), executionProvider: ExecutionProviderRequest.default('auto') })
  .strict();

export const ClassifyParams = z
  .object({
    modelId: Id,
    imageId: Id,
    topK: z.number().int().min(1).max(1000).default(5),
  })
  .strict();

export const requests = {
  'app.info': { params: Empty, result: AppInfo },
  'models.open': { params: OpenModelParams, result: ModelSummary },
  'models.list': { params: Empty, result: z.array(ModelSummary) },
  'models.details': { params: z.object({ modelId: Id }).strict(), result: ModelDetails },
  'samples.list': { params: Empty, result: z.array(Sample) },
  'images.open': { params: OpenImageParams, result: ImageSummary },
  /** A DICOM frame's modality values at preview size, with its windows and pixel spacing (the inspector's window/level). */
  'images.values': { params: ImageValuesParams, result: ImageValues },
  classify: { params: ClassifyParams, result: Classification },
  'methods.list': { params: Empty, result: z.array(MethodDescription) },
  attribute: { params: AttributeParams, result: AttributionResult },
  'models.layers': { params: z.object({ modelId: Id }).strict(), result: z.array(SpatialLayerInfo) },
  'metrics.list': { params: Empty, result: z.array(MetricDescription) },
  evaluate: { params: EvaluateParams, result: EvaluationResult },
  roar: { params: RoarParams, result: RoarResult },
  /** Every image under a folder with every method and metric, as resumable audit jobs of a project; aggregates with bootstrap intervals and a ranking. */
  'evaluation.dataset': { params: DatasetEvaluationParams, result: DatasetEvaluationResult },
  audit: { params: AuditParams, result: AuditResult },
  'audit.results': { params: AuditResultsParams, result: AuditResultsPage },
  /** A past run's summary (accuracy per class, metric means with intervals, flags) from the stored results. */
  'audit.summary': { params: z.object({ project: z.string().min(1), runId: z.number().int().positive() }).strict(), result: AuditSummary },
  'jobs.list': { params: z.object({ project: z.string().min(1) }).strict(), result: z.array(JobInfo) },
  'jobs.pause': { params: JobControlParams, result: z.object({ signalled: z.boolean() }) },
  'jobs.cancel': { params: JobControlParams, result: z.object({ signalled: z.boolean() }) },
  'models.import': { params: ImportModelParams, result: ModelSummary },
  /** Re-resolves an open model's card with these fields (validated against the model) and saves it. */
  'models.updateCard': { params: z.object({ modelId: Id, card: ModelCardFile }).strict(), result: ModelSummary },
  'projects.recent': { params: Empty, result: z.array(RecentProject) },
  'projects.open': { params: OpenProjectParams, result: ProjectSummary },
  /** The bundled demo project: the default model's samples as a labelled dataset (created on first use). */
  'projects.demo': { params: Empty, result: ProjectSummary },
  /** Brings the results of `lumen audit --shard i/N` into the project (idempotent). */
  'projects.merge': { params: MergeParams, result: MergeCounts },
  /** Imports a dataset in any format the CLI knows (or, with `preview`, reports what it would do and writes nothing). */
  'datasets.import': { params: ImportParams, result: ImportReport },
  'datasets.images': { params: DatasetImagesParams, result: DatasetImagesPage },
  /** A dataset's DICOM images by patient, study and series (the browser's study/series filter). */
  'datasets.studies': { params: DatasetStudiesParams, result: DatasetStudies },
  'datasets.thumbnails': { params: ThumbnailsParams, result: z.array(Thumbnail) },
  'annotations.list': { params: ImageRef, result: z.array(Annotation) },
  'annotations.save': { params: SaveAnnotationParams, result: Annotation },
  'annotations.delete': { params: DeleteAnnotationParams, result: z.object({ deleted: z.boolean() }) },
  /** A project image's stored explanations (maps and what made them), each with why it is stale for the open model, if it is. */
  'explanations.list': { params: ListExplanationsParams, result: ListedExplanations },
  /** Stores an explanation of a project image (replacing the one of the same method, target and parameters); too large ones are not stored, with a notice. */
  'explanations.save': { params: SaveExplanationParams, result: SavedExplanation },
  'explanations.delete': { params: DeleteExplanationParams, result: z.object({ deleted: z.boolean() }) },
  /** What a report of an audit run holds: its dataset, method, parameters, metrics, model and images (flagged first when the run is large). */
  'report.plan': { params: PlanRunReportParams, result: RunReportPlan },
  /** Builds a report (live preview: html; pdf through headless Chromium). */
  'report.render': { params: RenderReportParams, result: RenderedReport },
  /** Builds a report and writes it to a file, atomically (no partial file on failure). */
  'report.export': { params: ExportReportParams, result: ExportedReport },
  /** Explains an image and writes the overlay (Secondary Capture) and XRAI's top regions (Segmentation) as DICOM, de-identified unless asked. */
  'dicom.export': { params: ExportDicomParams, result: ExportedDicom },
  'settings.get': { params: Empty, result: SettingsReport },
  'settings.set': { params: SettingsPatch, result: SettingsReport },
} as const;

export type Requests = typeof requests;
export type Method = keyof Requests;
/** What a caller passes (defaults may be omitted). */
export type ParamsIn<M extends Method> = z.input<Requests[M]['params']>;
/** What a handler receives (defaults filled in). */
export type Params<M extends Method> = z.output<Requests[M]['params']>;
export type Result<M extends Method> = z.output<Requests[M]['result']>;

export const methodNames = Object.keys(requests) as Method[];

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requests, name);
}
