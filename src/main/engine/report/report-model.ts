import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import type { z } from 'zod';
import type { Annotation } from '../../../shared/contract/annotations';
import type { AuditFlag } from '../../../shared/contract/audit';
import type { Prediction } from '../../../shared/contract/classification';
import type { ExecutionProviderReport } from '../../../shared/contract/execution-provider';
import type { MetricOutcome } from '../../../shared/contract/evaluation';
import type { ReportSpec } from '../../../shared/contract/report';
import { describeZodError, LumenError } from '../../../shared/errors';
import { heatmapOf, type HeatMap } from '../../../shared/heatmap/reduce-channels';
import { displayRange, DEFAULT_PERCENTILE, type DisplayRange } from '../../../shared/heatmap/normalise';
import { selectXraiRegions, type RegionMask } from '../../../shared/heatmap/xrai-mask';
import { methodEntry } from '../../../shared/methods/catalogue';
import { metricEntry, metricIds } from '../../../shared/metrics/catalogue';
import type { ModelCard, ResolvedCard } from '../../../shared/model-card';
import { lumenVersion } from '../../../shared/version';
import type { AttributionService } from '../attribution/attribution-service';
import { confine } from '../paths/confine';
import { predictions as topPredictions } from '../classify/classify';
import { inspectImage, type ImageSource } from '../image/image-source';
import { preprocess } from '../image/preprocess';
import { parseNpy, toFloat32 } from '../io/npy';
import { boxesToMask } from '../metrics/functions/localisation';
import type { EvaluationService } from '../metrics/evaluation-service';
import type { LoadedModel } from '../model/model-registry';
import { onnxruntimeVersion } from '../runtime/onnxruntime';
import { storedResults } from '../project/audit-queries';
import { auditReportFor } from '../project/multilabel-audit';
import { fileInDataset, findDataset } from '../project/dataset-files';
import { withOpenProject } from '../project/open-project';
import type { ProjectStore } from '../project/project-store';
import { boxToInput, placementOfPlan } from '../../../shared/overlay-placement';
import { labelOverlap, labelOverlapCounts } from '../project/label-overlap';
import { cacheKey, contentSha256, ReportCache, type KeptAttribution } from './report-cache';

export type ReportSpecValue = z.output<typeof ReportSpec>;

/**
 * How the report draws maps when the spec does not say: the inspector's defaults. The spec's
 * opacity, normalisation and percentile (the inspector's current settings) take precedence.
 */
export const reportDisplay = {
  mode: 'absolute',
  percentile: DEFAULT_PERCENTILE,
  reduction: 'sum',
  opacity: 0.6,
  /** The veil outside XRAI's top regions (the inspector's). */
  outsideOpacity: 0.55,
} as const;

/** How many flagged images of an audit are shown with their stored maps. */
export const flaggedFigures = 6;
/** How many predictions the report lists per image. */
export const topK = 5;

export interface ReportServices {
  attributions: AttributionService;
  evaluations: EvaluationService;
  /** The user's annotations on a project image (project/annotations.ts); none when absent. */
  annotationsFor?: ((store: ProjectStore, dataset: string, path: string, onDamaged?: (note: { id: number; reason: string }) => void) => Annotation[]) | undefined;
  /** What earlier reports computed (explanations, metrics, figures); without one, everything is computed afresh. */
  cache?: ReportCache | undefined;
}

export interface GatherOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Facts from the image file's header, shown only when the spec asks for metadata. */
export interface ImageMetadata {
  format: string;
  width: number;
  height: number;
  channels: number;
  bitDepth: number;
  space: string | null;
  density: number | null;
  orientation: number | null;
  fileBytes: number;
  sha256: string;
  exifBytes: number;
  xmpBytes: number;
  iccBytes: number;
}

export interface XraiFigure {
  threshold: number;
  mask: RegionMask;
  regionCount: number;
  /** Share of the model input the shown regions cover. */
  fraction: number;
  /** The shown regions, in rank order. */
  regions: Array<{ rank: number; gain: number; area: number; cumulativeArea: number }>;
}

export interface ReportMethodData {
  /** Identifies the attribution (model, image content, method, parameters, class) for the figure cache. */
  key: string;
  method: string;
  label: string;
  kind: 'pixel' | 'map';
  /** The parameters actually used (defaults and seeds included). */
  params: Record<string, unknown>;
  /** One value per pixel of the model input (channels reduced as the UI does). */
  map: HeatMap;
  range: DisplayRange;
  xrai: XraiFigure | null;
  metrics: MetricOutcome[];
  notes: string[];
  /** The method's own figures (IG: completenessError and outputDifference, shown on their scale). */
  figures: Record<string, number>;
}

export interface ReportImageData {
  dataset: string;
  path: string;
  /** The absolute file: shown only with includePaths. */
  file: string;
  /** SHA-256 of the file's bytes: the image's identity in the figure cache. */
  contentSha256: string;
  /** The dataset's label of the image, if it has one. */
  label: string | null;
  source: ImageSource;
  metadata: ImageMetadata | null;
  predictions: Prediction[];
  target: number;
  targetLabel: string;
  /** Whether the spec chose the class (otherwise the model's top class). */
  targetGiven: boolean;
  annotations: Annotation[];
  /** Imported ground-truth boxes (image pixels), used by localisation metrics. */
  groundTruth: Box[];
  methods: ReportMethodData[];
}

export interface FlaggedFigure {
  /** Identifies the image and the stored map (by content) for the figure cache. */
  key: string;
  flag: z.output<typeof AuditFlag>;
  source: ImageSource;
  map: HeatMap;
  range: DisplayRange;
}

export interface ReportRunData {
  runId: number;
  method: string;
  methodLabel: string;
  params: Record<string, unknown>;
  metricsRequested: string[];
  dataset: string;
  model: { fileName: string; sha256: string };
  card: ModelCard;
  lumenVersion: string;
  createdAt: string;
  jobState: string | null;
  images: number;
  summary: ReturnType<typeof auditReportFor>;
  /** The dataset's labels against the model's, when they do not all match (no label names: see labelOverlapCounts). */
  labelWarning: string | null;
  flagged: FlaggedFigure[];
}

export interface Provenance {
  model: { fileName: string; sha256: string; builtIn: boolean };
  card: { name: string; input: ModelCard['input']; preprocess: ModelCard['preprocess']; output: { name: string; kind: string; classes: number }; sources: Record<string, string>; notes: string[] };
  methods: Array<{ method: string; label: string; params: Record<string, unknown>; stochastic: boolean }>;
  metrics: string[];
  lumenVersion: string;
  onnxruntimeVersion: string;
  executionProvider: ExecutionProviderReport;
  project: { name: string; folder: string };
  display: { mode: ReportSpecValue['normalisation']; percentile: number; reduction: typeof reportDisplay.reduction; opacity: number; outsideOpacity: number; colormap: string; xraiArea: number };
  options: { includeAnnotations: boolean; includePaths: boolean; includeMetadata: boolean; anonymise: boolean };
}

/**
 * Something the reader should know (a metric not measured, an annotation left out). `{image}` in
 * the text stands for the image's name, which the report decides (anonymised or not).
 */
export interface ReportWarning {
  text: string;
  image?: { dataset: string; path: string };
}

export interface ReportModel {
  spec: ReportSpecValue;
  /** What the figures are drawn with (kept across reports when the engine has a cache). */
  cache: ReportCache;
  card: ModelCard;
  images: ReportImageData[];
  runs: ReportRunData[];
  provenance: Provenance;
  warnings: ReportWarning[];
}

/** What is read from the project before any computation (the project is open only for this). */
interface PlannedImage {
  dataset: string;
  path: string;
  file: string;
  label: string | null;
  target: number | undefined;
  annotations: Annotation[];
  groundTruth: Box[];
}

interface PlannedRun extends Omit<ReportRunData, 'flagged'> {
  flaggedFiles: Array<{ flag: z.output<typeof AuditFlag>; file: string; artifact: string | null }>;
}

/** The number of progress steps gatherReport reports for a spec. */
export function gatherSteps(spec: ReportSpecValue): number {
  return spec.images.length * (1 + spec.methods.length) + spec.runs.length;
}

/**
 * Everything a report shows, computed deterministically from the spec: each image opened from its
 * dataset, classified, explained by each method (seeds in the parameters), its maps reduced and
 * normalised as the UI does, its metrics measured on that same attribution; each audit's summary
 * and flagged images from its stored results; and the provenance of it all.
 */
export async function gatherReport(spec: ReportSpecValue, model: LoadedModel, services: ReportServices, options: GatherOptions = {}): Promise<ReportModel> {
  const { signal } = options;
  const card = model.resolved.card;
  const cache = services.cache ?? new ReportCache();
  const warnings: ReportWarning[] = [];
  checkSpec(spec, services);
  const total = gatherSteps(spec);
  let done = 0;
  const step = (): void => {
    done++;
    options.onProgress?.(done, total);
  };
  const stopIfAborted = (): void => {
    if (signal?.aborted) throw new LumenError('cancelled', 'The report was cancelled.');
  };
  options.onProgress?.(0, total);

  const { planned, runs } = await withOpenProject(spec.project, (store) => ({
    planned: spec.images.map((image) => planImage(store, spec, image, services, warnings)),
    runs: spec.runs.map((runId) => planRun(store, runId)),
  }));

  const images: ReportImageData[] = [];
  for (const image of planned) {
    stopIfAborted();
    images.push(await gatherImage(spec, model, services, cache, image, warnings, { signal, step, stopIfAborted }));
  }
  const runData: ReportRunData[] = [];
  for (const run of runs) {
    stopIfAborted();
    runData.push(await gatherRun(run, spec, warnings));
    step();
  }

  const methods = spec.methods.map(({ method, params }) => {
    const entry = methodEntry(method)!;
    // The parameters as the first image resolved them (defaults and seeds filled in).
    const used = images[0]?.methods.find((m) => m.method === method)?.params ?? params;
    return { method, label: entry.label, params: used, stochastic: entry.stochastic };
  });
  const provenance: Provenance = {
    model: { fileName: model.fileName, sha256: model.sha256, builtIn: model.builtIn },
    card: cardSummary(model.resolved),
    methods,
    metrics: spec.metrics,
    lumenVersion,
    onnxruntimeVersion: onnxruntimeVersion(),
    executionProvider: model.executionProvider,
    project: { name: lastSegment(spec.project), folder: spec.project },
    display: { ...reportDisplay, mode: spec.normalisation, percentile: spec.percentile, opacity: spec.opacity, colormap: spec.colormap, xraiArea: spec.xraiArea },
    options: { includeAnnotations: spec.includeAnnotations, includePaths: spec.includePaths, includeMetadata: spec.includeMetadata, anonymise: spec.anonymise },
  };
  return { spec, cache, card, images, runs: runData, provenance, warnings };
}

/** Methods, metrics and parameters checked before any work starts, so a typo fails at once. */
function checkSpec(spec: ReportSpecValue, services: ReportServices): void {
  for (const { method, params } of spec.methods) {
    const { method: impl } = services.attributions.methodFor(method);
    const parsed = impl.schema.safeParse(params);
    if (!parsed.success) throw new LumenError('invalid-argument', `Invalid parameters for ${method}: ${describeZodError(parsed.error)}.`, `See \`lumen methods\` for the parameters of ${method}.`);
  }
  for (const metric of spec.metrics) {
    if (!metricEntry(metric)) throw new LumenError('invalid-argument', `Unknown metric "${metric}".`, `Available: ${metricIds.join(', ')}.`);
  }
}

function planImage(store: ProjectStore, spec: ReportSpecValue, image: ReportSpecValue['images'][number], services: ReportServices, warnings: ReportWarning[]): PlannedImage {
  const dataset = findDataset(store, image.dataset);
  const file = fileInDataset(dataset, image.path);
  const row = store.db.prepare('SELECT id, label FROM images WHERE dataset_id = ? AND path = ?').get(dataset.id, image.path) as { id: number; label: string | null } | undefined;
  if (!row) {
    throw new LumenError('not-found', `The image "${image.path}" is not in the dataset "${image.dataset}".`, 'Give the path relative to the dataset root, as the dataset browser (datasets.images) lists it.', { dataset: image.dataset, path: image.path });
  }
  let groundTruth: Box[] = [];
  try {
    groundTruth = (store.db.prepare("SELECT x0, y0, x1, y1 FROM annotations WHERE image_id = ? AND kind = 'box' ORDER BY id").all(row.id) as Box[]).filter((b) => [b.x0, b.y0, b.x1, b.y1].every(Number.isFinite));
  } catch {
    // A schema without imported boxes: no ground truth.
  }
  let annotations: Annotation[] = [];
  if (spec.includeAnnotations) {
    if (services.annotationsFor) {
      annotations = services.annotationsFor(store, image.dataset, image.path, (note) =>
        warnings.push({ text: `Annotation ${note.id} of {image} could not be read (${note.reason}) and is left out.`, image: { dataset: image.dataset, path: image.path } }),
      );
    }
    else if (!warnings.some((w) => w.text === noAnnotationsWarning)) warnings.push({ text: noAnnotationsWarning });
  }
  return { dataset: image.dataset, path: image.path, file, label: row.label, target: image.target, annotations, groundTruth };
}

const noAnnotationsWarning = 'Annotations could not be read in this version of Lumen; the report has none.';

async function gatherImage(
  spec: ReportSpecValue,
  model: LoadedModel,
  services: ReportServices,
  cache: ReportCache,
  image: PlannedImage,
  warnings: ReportWarning[],
  flow: { signal: AbortSignal | undefined; step: () => void; stopIfAborted: () => void },
): Promise<ReportImageData> {
  const card = model.resolved.card;
  const bytes = await readImage(image.file, image.path);
  const content = contentSha256(bytes);
  // The image by its content and name (the name decides how it is decoded); the model by its
  // weights, card and execution provider: a changed file, card or provider is another key.
  const imageKey = { model: { sha256: model.sha256, card, provider: model.executionProvider.used }, content, name: image.path };
  const source = await cache.sources.memo(cacheKey({ content, name: image.path }), () => inspectImage(bytes, image.path));
  // Preprocessed only when something has to be computed (or ground truth placed on the input).
  let prepared: ReturnType<typeof preprocess> | undefined;
  const prepare = (): ReturnType<typeof preprocess> => (prepared ??= preprocess(source, card));
  const input = (): Promise<Float32Array> => cache.inputs.memo(cacheKey({ ...imageKey, what: 'input' }), async () => (await prepare()).data);

  const classified = await cache.classifications.memo(cacheKey({ ...imageKey, what: 'classification', topK }), async () => {
    const scores = await services.attributions.classScores(model, await input());
    return { predictions: topPredictions(scores, card, topK), classes: scores.length };
  });
  const predicted = classified.predictions;
  if (image.target !== undefined && image.target >= classified.classes) {
    throw new LumenError('invalid-argument', `The target class ${image.target} of "${image.path}" is out of range: the model has ${classified.classes} classes (0 to ${classified.classes - 1}).`);
  }
  const target = image.target ?? predicted[0]!.index;
  flow.step();

  // Ground-truth boxes in model-input pixels, for localisation metrics (as the audit maps them).
  let truth: Uint8Array | undefined;
  if (image.groundTruth.length > 0) {
    const { height: H, width: W } = card.input;
    const placed = placementOfPlan((await prepare()).plan, { width: source.width, height: source.height });
    const inside = image.groundTruth
      .map((b) => boxToInput(placed, b))
      .filter((b) => b.x1 > Math.max(0, b.x0) && b.y1 > Math.max(0, b.y0) && b.x0 < W && b.y0 < H);
    truth = inside.length > 0 ? boxesToMask(inside, H, W) : undefined;
  }
  const metrics = spec.metrics.filter((m) => {
    if (truth || !metricEntry(m)!.needsGroundTruth) return true;
    warnings.push({ text: `${metricEntry(m)!.label} needs ground truth, which {image} does not have: not measured there.`, image: { dataset: image.dataset, path: image.path } });
    return false;
  });

  const methods: ReportMethodData[] = [];
  for (const { method, params } of spec.methods) {
    flow.stopIfAborted();
    const key = cacheKey({ ...imageKey, method, params, target });
    const kept = await cache.attributions.memo(key, async (): Promise<KeptAttribution> => {
      const outcome = await services.attributions.attribute({ model, input: await input(), method, target, params, signal: flow.signal });
      const map = heatmapOf({ data: outcome.data, dims: outcome.dims, kind: outcome.kind }, { reduction: reportDisplay.reduction, layout: card.input.layout });
      return { kind: outcome.kind, params: outcome.params, dims: outcome.dims, data: outcome.data, notes: outcome.notes, figures: outcome.figures, map, ...(outcome.regions ? { regions: outcome.regions } : {}) };
    });
    const { map } = kept;
    const range = displayRange(map.data, { mode: spec.normalisation, percentile: spec.percentile });
    let xrai: XraiFigure | null = null;
    if (kept.regions) {
      const selection = selectXraiRegions(kept.regions, spec.xraiArea);
      const shown = [...kept.regions.list].sort((a, b) => a.rank - b.rank).slice(0, selection.regionCount);
      xrai = { threshold: spec.xraiArea, mask: { ranks: selection.ranks, included: selection.included }, regionCount: selection.regionCount, fraction: selection.fraction, regions: shown };
    }
    const measured = await measure(services, cache, { key, kept, model, input, method, target, metrics, groundTruth: image.groundTruth, truth, signal: flow.signal });
    methods.push({ key, method, label: methodEntry(method)!.label, kind: kept.kind, params: kept.params, map, range, xrai, metrics: measured, notes: kept.notes, figures: kept.figures });
    flow.step();
  }

  return {
    dataset: image.dataset,
    path: image.path,
    file: image.file,
    contentSha256: content,
    label: image.label,
    source,
    metadata: spec.includeMetadata ? await imageMetadata(bytes, source) : null,
    predictions: predicted,
    target,
    targetLabel: card.output.labels[target] ?? `class ${target}`,
    targetGiven: image.target !== undefined,
    annotations: image.annotations,
    groundTruth: image.groundTruth,
    methods,
  };
}

/**
 * The metrics of one attribution, in the spec's order: those measured for an earlier report are
 * reused, the rest measured together on the same attribution (never a new one).
 */
async function measure(
  services: ReportServices,
  cache: ReportCache,
  job: { key: string; kept: KeptAttribution; model: LoadedModel; input: () => Promise<Float32Array>; method: string; target: number; metrics: string[]; groundTruth: Box[]; truth: Uint8Array | undefined; signal: AbortSignal | undefined },
): Promise<MetricOutcome[]> {
  const metricKey = (metric: string): string => cacheKey({ attribution: job.key, metric, groundTruth: job.groundTruth });
  const missing = job.metrics.filter((m) => cache.metrics.get(metricKey(m)) === undefined);
  const fresh = new Map<string, MetricOutcome>();
  if (missing.length > 0) {
    const evaluation = await services.evaluations.evaluate({
      model: job.model,
      input: await job.input(),
      method: job.method,
      target: job.target,
      params: job.kept.params,
      attribution: job.kept.data,
      metrics: missing.map((metric) => ({ metric, params: {} })),
      groundTruth: job.truth,
      signal: job.signal,
    });
    for (const outcome of evaluation.metrics) {
      fresh.set(outcome.metric, outcome);
      cache.metrics.set(metricKey(outcome.metric), outcome);
    }
  }
  return job.metrics.map((m) => fresh.get(m) ?? cache.metrics.get(metricKey(m))).filter((m): m is MetricOutcome => m !== undefined);
}

async function readImage(file: string, path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new LumenError('not-found', `The image "${path}" could not be read (${code ?? (error as Error).message}).`, 'It may have been moved or deleted since the dataset was imported; import the folder again.', { path });
  }
}

async function imageMetadata(bytes: Uint8Array, source: ImageSource): Promise<ImageMetadata> {
  // A DICOM file is not something sharp reads; its pixels were decoded by the DICOM reader, and
  // its identifying header is never copied into a report (see the report's de-identification).
  const m: Partial<Metadata> = source.dicom ? { space: source.channels === 1 ? 'b-w' : 'srgb' } : await sharp(bytes, { limitInputPixels: false }).metadata();
  return {
    format: source.format,
    width: source.width,
    height: source.height,
    channels: source.channels,
    bitDepth: source.bitDepth,
    space: m.space ?? null,
    density: m.density ?? null,
    orientation: m.orientation ?? null,
    fileBytes: bytes.length,
    sha256: contentSha256(bytes),
    exifBytes: m.exif?.length ?? 0,
    xmpBytes: m.xmp?.length ?? 0,
    iccBytes: m.icc?.length ?? 0,
  };
}

function planRun(store: ProjectStore, runId: number): PlannedRun {
  const run = store.db
    .prepare('SELECT r.id, r.method, r.params, r.lumen_version, r.created_at, m.file, m.sha256, m.card FROM runs r JOIN models m ON m.id = r.model_id WHERE r.id = ?')
    .get(runId) as { id: number; method: string; params: string; lumen_version: string; created_at: string; file: string; sha256: string; card: string } | undefined;
  if (!run) throw new LumenError('not-found', `There is no run ${runId} in ${store.folder}.`, 'List the jobs and their runs with `lumen jobs --project P`.', { runId });
  const stored = JSON.parse(run.params) as { dataset: number; params?: Record<string, unknown>; metrics?: Array<{ metric: string }> };
  const dataset = store.db.prepare('SELECT name, root FROM datasets WHERE id = ?').get(stored.dataset) as { name: string; root: string } | undefined;
  const job = store.db.prepare('SELECT state FROM jobs WHERE run_id = ? ORDER BY id DESC').get(runId) as { state: string } | undefined;
  const rows = storedResults(store, runId);
  const summary = auditReportFor(rows, (JSON.parse(run.card) as ModelCard).output);
  const output = (JSON.parse(run.card) as ModelCard).output;
  const labelWarning = labelOverlapCounts(labelOverlap(rows.map((r) => r.label), output), output);
  const artifacts = new Map(
    (store.db.prepare('SELECT i.path, r.map_artifact FROM results r JOIN images i ON i.id = r.image_id WHERE r.run_id = ?').all(runId) as Array<{ path: string; map_artifact: string | null }>).map((r) => [r.path, r.map_artifact]),
  );
  const flaggedFiles = dataset
    ? summary.flags.slice(0, flaggedFigures).map((flag) => {
        const artifact = artifacts.get(flag.path) ?? null;
        return { flag, file: fileInDataset({ id: stored.dataset, name: dataset.name, root: dataset.root }, flag.path), artifact: artifact ? confine(store.artifacts, artifact) : null };
      })
    : [];
  return {
    runId,
    method: run.method,
    methodLabel: methodEntry(run.method)?.label ?? run.method,
    params: stored.params ?? {},
    metricsRequested: (stored.metrics ?? []).map((m) => m.metric),
    dataset: dataset?.name ?? `dataset ${stored.dataset}`,
    model: { fileName: run.file, sha256: run.sha256 },
    card: JSON.parse(run.card) as ModelCard,
    lumenVersion: run.lumen_version,
    createdAt: run.created_at,
    jobState: job?.state ?? null,
    images: rows.length,
    summary,
    labelWarning,
    flaggedFiles,
  };
}

/** A run with its flagged images' stored maps (an image or map that is gone is left out, with a warning). */
async function gatherRun(run: PlannedRun, spec: ReportSpecValue, warnings: ReportWarning[]): Promise<ReportRunData> {
  const { flaggedFiles, ...rest } = run;
  const flagged: FlaggedFigure[] = [];
  const { height: H, width: W } = run.card.input;
  for (const { flag, file, artifact } of flaggedFiles) {
    if (!artifact) continue;
    try {
      const bytes = new Uint8Array(await readFile(file));
      const source = await inspectImage(bytes, flag.path);
      const npy = new Uint8Array(await readFile(artifact));
      const stored = parseNpy(npy, 'the stored map');
      if (stored.shape.length !== 2 || stored.shape[0] !== H || stored.shape[1] !== W) throw new Error(`its shape is [${stored.shape.join(', ')}], not [${H}, ${W}]`);
      const map: HeatMap = { data: toFloat32(stored), width: W, height: H };
      const key = cacheKey({ image: contentSha256(bytes), name: flag.path, map: contentSha256(npy), input: run.card.input, resize: run.card.preprocess.resize });
      flagged.push({ key, flag, source, map, range: displayRange(map.data, { mode: spec.normalisation, percentile: spec.percentile }) });
    } catch (error) {
      const why = error instanceof LumenError ? error.code : ((error as NodeJS.ErrnoException).code ?? (error as Error).message);
      warnings.push({ text: `The stored map of the flagged image {image} (run ${run.runId}) could not be shown (${why}).`, image: { dataset: run.dataset, path: flag.path } });
    }
  }
  return { ...rest, flagged };
}

function cardSummary(resolved: ResolvedCard): Provenance['card'] {
  const { card } = resolved;
  return {
    name: card.name,
    input: card.input,
    preprocess: card.preprocess,
    output: { name: card.output.name, kind: card.output.kind, classes: card.output.labels.length },
    sources: resolved.sources,
    notes: resolved.notes,
  };
}

function lastSegment(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? path;
}
