import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { basename } from 'node:path';
import { LumenError } from '../../shared/errors';
import type { Handlers } from '../../shared/contract/dispatcher';
import type { Result } from '../../shared/contract/requests';
import type { EventName, EventPayload } from '../../shared/contract/events';
import type { ModelSummary } from '../../shared/contract/model';
import type { ImageSummary } from '../../shared/contract/image';
import type { AttributionInput } from '../../shared/contract/attribution';
import { lumenVersion } from '../../shared/version';
import { predictions, runClassifier } from './classify/classify';
import { findings, optionalFindings } from './classify/multilabel';
import { ImageStore } from './image/image-store';
import { makePreview } from './image/preview';
import { readImageFile } from './image/read-image-file';
import { imageValues } from './image/medical/image-values';
import { inputDims, preprocess } from './image/preprocess';
import type { ImageSource } from './image/image-source';
import { ModelRegistry, type LoadedModel } from './model/model-registry';
import { modelStatistics, runtimeInputs, signature } from './onnx/model-details';
import { defaultModelPath, loadSamples, samplePath } from './resources';
import { probeExecutionProviders } from './runtime/execution-providers';
import { onnxruntimeVersion } from './runtime/onnxruntime';
import { SessionPool } from './runtime/session-pool';
import { AttributionService } from './attribution/attribution-service';
import { GraphCache } from './attribution/graph-cache';
import { describeMethods } from './methods/describe';
import { spatialLayers } from './attribution/layers';
import { EvaluationService } from './metrics/evaluation-service';
import { describeMetrics } from './metrics/describe';
import { groundTruthMask } from './metrics/ground-truth';
import { runRoar } from './metrics/roar/roar';
import { runAudit } from './project/audit-job';
import { auditSummary, listJobs, queryAuditResults } from './project/audit-queries';
import { JobControls } from './project/job-controls';
import { ProjectStore } from './project/project-store';
import { join } from 'node:path';
import type { ExecutionProviderRequest } from '../../shared/contract/execution-provider';
import { discardImportedModel, storeImportedModel } from './model/model-import';
import { updateModelCard } from './model/card-update';
import type { OpenModelRequest } from './model/model-registry';
import { annotationAuthor, annotationsFor, deleteAnnotation, saveAnnotation } from './project/annotations';
import { datasetImages } from './project/dataset-images';
import { datasetStudies } from './project/dataset-studies';
import { fileInDataset, findDataset } from './project/dataset-files';
import { importDicomFolder, importFolder } from './project/dataset-import';
import { chooseFolderLayout } from './project/import/folder-layout';
import { isDemoProject, openDemoProject } from './project/demo-project';
import { importSummary } from './project/import-summary';
import { openProject, withOpenProject } from './project/open-project';
import { projectSummary } from './project/project-summary';
import { recentProjects, recordRecentProject } from './project/recent-projects';
import { datasetThumbnails } from './project/thumbnails';
import { runtimeFor, settingsReport, type EngineRuntime } from './settings/settings-report';
import { rateSince, type ProgressSample } from '../../shared/progress-rate';
import { loadSettings, loadSettingsSync, saveSettings, settingsFile } from './settings/settings-store';
import { buildReport, exportReport } from './report/report';
import { exportDicom } from './dicom-export/export-dicom';
import { UidMapper } from './deidentify/uid-mapper';
import type { ReportServices } from './report/report-model';
import { AllowedRoots } from './paths/allowed-roots';
import { browserDoor } from './paths/browser-door';
import { lumenHome } from './lumen-home';
import { resourcesDir } from './resources';

export type EmitEvent = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface EngineOptions {
  /** Threads for onnxruntime's intra-op pool, winning over the settings; 0 or absent: the settings' (0 = one per core). */
  threads?: number;
  emit?: EmitEvent;
  /** Where compiled attribution graphs are cached (default: `graphs` in the settings' cache folder); null keeps them in memory only. */
  graphCacheDir?: string | null;
  /**
   * The browser door: paths in requests are limited to the folders the user chose in the page
   * and Lumen's own (see paths/browser-door.ts). The CLI and tests leave it off.
   */
  confinePaths?: boolean;
}

/** Open images kept in memory (the least recently used are dropped beyond it). */
const openImagesMaxBytes = 1024 * 1024 * 1024;
/** Compiled attribution graphs kept in memory (they are on disk too). */
const compiledGraphsInMemoryMaxBytes = 2048 * 1024 * 1024;

/**
 * The engine: plain Node, no Electron. It owns the open models and images and answers the
 * contract's requests; the CLI calls it directly, the app and the bridge through a process channel.
 */
export class Engine {
  readonly pool: SessionPool;
  readonly models: ModelRegistry;
  readonly images: ImageStore;
  readonly attributions: AttributionService;
  readonly evaluations: EvaluationService;
  private readonly emit: EmitEvent;
  private readonly auditQueues = new Map<string, Promise<unknown>>();
  private readonly jobs = new JobControls();
  /** Threads and cache folder as the engine started with them (from the settings and overrides). */
  private readonly runtime: EngineRuntime;
  /** The provider `auto` means for models opened from now on: the settings' choice. */
  private defaultProvider: ExecutionProviderRequest;
  /** The folders a confined door may name: Lumen's own, and what the user chose (see confinePaths). */
  readonly allowedRoots = new AllowedRoots();
  /** De-identified DICOM exports replace UIDs through one mapping per session, so their objects keep referencing each other. */
  private readonly dicomUids = new UidMapper();

  constructor(options: EngineOptions = {}) {
    // A damaged settings file means defaults here; settings.get tells the user.
    const { settings } = loadSettingsSync();
    this.runtime = runtimeFor(settings, options.threads ?? 0);
    this.defaultProvider = settings.executionProvider;
    this.pool = new SessionPool(this.runtime.threads > 0 ? { intraOpNumThreads: this.runtime.threads } : {});
    this.models = new ModelRegistry(this.pool);
    const dir = options.graphCacheDir === undefined ? join(this.runtime.cacheDir, 'graphs') : options.graphCacheDir;
    // The settings' memory budget bounds one attribution run; the caches have their own bounds
    // (compiled graphs kept in memory are on disk too).
    this.images = new ImageStore(openImagesMaxBytes);
    this.attributions = new AttributionService(this.pool, new GraphCache(dir, { maxMemoryBytes: compiledGraphsInMemoryMaxBytes }), this.runtime.memoryBudgetMiB);
    this.evaluations = new EvaluationService(this.attributions);
    this.emit = options.emit ?? (() => undefined);
    this.allowedRoots.allow(resourcesDir(), 'read');
    this.allowedRoots.allow(lumenHome(), 'write');
    this.allowedRoots.allow(this.runtime.cacheDir, 'write');
    if (options.confinePaths) this.handlers = browserDoor(this.handlers, this.allowedRoots);
  }

  readonly handlers: Handlers = {
    'app.info': async () => ({
      version: lumenVersion,
      platform: process.platform,
      arch: process.arch,
      nodeVersion: process.versions.node,
      onnxruntimeVersion: onnxruntimeVersion(),
      executionProviders: await probeExecutionProviders(),
      defaultModel: { name: 'MobileNetV2 1.0 224 (ImageNet-1k)', fileName: basename(defaultModelPath()) },
    }),

    'models.open': async (params) => modelSummary(await this.openModel(params)),

    'models.list': async () => this.models.list().map(modelSummary),

    'models.details': async ({ modelId }) => {
      const loaded = this.models.get(modelId);
      const { model } = loaded;
      const stats = modelStatistics(model);
      return {
        id: loaded.id,
        fileName: loaded.fileName,
        sha256: loaded.sha256,
        irVersion: model.irVersion,
        opsets: model.opsets.map((o) => ({ domain: o.domain || 'ai.onnx', version: o.version })),
        producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
        graphName: model.graph.name,
        inputs: runtimeInputs(model).map(signature),
        outputs: model.graph.outputs.map(signature),
        nodeCount: stats.nodeCount,
        operators: stats.operators,
        parameterCount: stats.parameterCount,
        initializerBytes: stats.initializerBytes,
        metadata: Object.fromEntries(model.metadata),
      };
    },

    'samples.list': async () => loadSamples(),

    'images.open': async (params) => {
      let data: Uint8Array;
      let name: string;
      switch (params.source) {
        case 'sample': {
          const sample = (await loadSamples()).find((s) => s.id === params.sampleId);
          if (!sample) throw new LumenError('not-found', `There is no sample "${params.sampleId}".`, 'List the samples with samples.list.');
          data = new Uint8Array(await readFile(samplePath(sample)));
          name = sample.fileName;
          break;
        }
        case 'file':
          ({ data, name } = await readImageFile(params.path));
          break;
        case 'project': {
          const file = await withOpenProject(params.project, (store) => fileInDataset(findDataset(store, params.dataset), params.path));
          ({ data, name } = await readImageFile(file));
          break;
        }
        case 'bytes':
          data = params.data;
          name = basename(params.name);
          break;
      }
      const { id, source } = await this.images.add(data, name, params.frame);
      return imageSummary(id, source, await makePreview(source));
    },

    'images.values': async ({ imageId, frame }) => imageValues(this.images.get(imageId), frame),

    classify: async ({ modelId, imageId, topK }) => {
      const t0 = performance.now();
      const loaded = this.models.get(modelId);
      const source = this.images.get(imageId);
      const card = loaded.resolved.card;
      const input = await preprocess(source, card);
      const t1 = performance.now();
      const [scores] = await runClassifier(loaded.session, card, [input.data]);
      const inferMs = performance.now() - t1;
      return {
        modelId,
        imageId,
        outputKind: card.output.kind,
        classCount: scores!.length,
        predictions: predictions(scores!, card, topK),
        ...optionalFindings(findings(scores!, card)),
        timings: { decodeMs: input.decodeMs, preprocessMs: input.preprocessMs, inferMs, totalMs: performance.now() - t0 },
        executionProvider: loaded.executionProvider,
      };
    },

    'methods.list': async () => describeMethods(),

    'models.layers': async ({ modelId }) => spatialLayers(this.models.get(modelId)),

    attribute: async (params, { requestId, signal }) => {
      this.attributions.methodFor(params.method);
      const loaded = this.models.get(params.modelId);
      const { input, preprocessMs } = await this.modelInput(loaded, params.input);
      const outcome = await this.attributions.attribute({
        model: loaded,
        input,
        method: params.method,
        target: params.target,
        params: params.params,
        repeat: params.repeat,
        signal,
        onProgress: this.progress(requestId),
      });
      const { computeMs, computeRunsMs, compileMs, ...rest } = outcome;
      return { ...rest, timings: { computeMs, computeRunsMs, compileMs, preprocessMs }, executionProvider: loaded.executionProvider };
    },

    'metrics.list': async () => describeMetrics(),

    evaluate: async (params, { requestId, signal }) => {
      const loaded = this.models.get(params.modelId);
      const card = loaded.resolved.card;
      const { input } = await this.modelInput(loaded, params.input);
      let attribution: Float32Array | undefined;
      if (params.attribution) {
        const { dims, data } = params.attribution;
        const size = dims.reduce((a, b) => a * b, 1);
        if (size !== data.length) throw new LumenError('invalid-argument', `The attribution has ${data.length} values but dims [${dims.join(', ')}] say ${size}.`);
        attribution = data;
      }
      const outcome = await this.evaluations.evaluate({
        model: loaded,
        input,
        method: params.method,
        target: params.target,
        params: params.params,
        attribution,
        metrics: params.metrics,
        groundTruth: params.groundTruth ? groundTruthMask(params.groundTruth, card.input.height, card.input.width) : undefined,
        signal,
        onProgress: this.progress(requestId),
      });
      return { ...outcome, executionProvider: loaded.executionProvider };
    },

    roar: async (params, { requestId, signal }) => {
      const { modelId, ...rest } = params;
      return runRoar(this.attributions, { ...rest, modelId, model: this.models.get(modelId), signal, onProgress: this.progress(requestId) });
    },

    audit: async (params, { requestId, signal }) => {
      const model = this.models.get(params.modelId);
      // Jobs queue: one audit at a time per execution provider, in the order they were asked for.
      const provider = model.executionProvider.used;
      const previous = this.auditQueues.get(provider) ?? Promise.resolve();
      const run = previous.catch(() => undefined).then(() => runAudit({ attributions: this.attributions, evaluations: this.evaluations, jobs: this.jobs }, { ...params, model, signal, onProgress: this.progress(requestId), onWarning: (message) => this.emit('notice', { level: 'warning', message }) }));
      this.auditQueues.set(provider, run);
      return run;
    },

    'audit.results': async (params) => withProject(params.project, (store) => queryAuditResults(store, params)),

    'audit.summary': async ({ project, runId }) => withProject(project, (store) => auditSummary(store, runId)),

    'jobs.list': async ({ project }) => withProject(project, listJobs),

    'jobs.pause': async ({ project, jobId }) => ({ signalled: this.jobs.stop(project, jobId, 'pause') }),

    'jobs.cancel': async ({ project, jobId }) => ({ signalled: this.jobs.stop(project, jobId, 'cancel') }),

    'models.import': async ({ name, data, card, executionProvider }) => {
      const stored = await storeImportedModel(name, data);
      try {
        return modelSummary(await this.openModel({ path: stored.path, card, executionProvider }));
      } catch (error) {
        await discardImportedModel(stored);
        throw error;
      }
    },

    'models.updateCard': async ({ modelId, card }) => {
      const update = await updateModelCard(this.models, modelId, card);
      if (update.sidecarProblem) this.emit('notice', { level: 'info', message: `The card was saved in Lumen's home folder only: ${update.sidecarProblem}.` });
      return modelSummary(update.model);
    },

    'projects.recent': async () => recentProjects(),

    'projects.open': async ({ path, create }) => {
      const store = openProject(path, { create });
      let summary;
      try {
        summary = projectSummary(store, { demo: isDemoProject(store.folder) });
      } finally {
        store.close();
      }
      // The list of recent projects is a convenience: failing to update it does not fail the open.
      await recordRecentProject(summary.path).catch((error: unknown) => {
        this.emit('notice', { level: 'warning', message: `The list of recent projects could not be updated (${(error as Error).message}).` });
      });
      return summary;
    },

    'projects.demo': async () => {
      const store = await openDemoProject();
      try {
        return projectSummary(store, { demo: true });
      } finally {
        store.close();
      }
    },

    'datasets.import': async ({ project, dataset, folder, layout }) => {
        const chosen = await chooseFolderLayout(folder, layout);
        return importSummary(await withOpenProject(project, (store) => (chosen === 'dicom' ? importDicomFolder(store, dataset, folder) : importFolder(store, dataset, folder))));
      },

    'datasets.images': async (params) => withOpenProject(params.project, (store) => datasetImages(store, params)),

    'datasets.studies': async (params) => withOpenProject(params.project, (store) => datasetStudies(store, params)),

    'datasets.thumbnails': async (params) => withOpenProject(params.project, (store) => datasetThumbnails(store, params)),

    'annotations.list': async ({ project, dataset, path }) => {
      const damaged: number[] = [];
      const list = await withOpenProject(project, (store) => annotationsFor(store, dataset, path, (note) => damaged.push(note.id)));
      if (damaged.length > 0) {
        this.emit('notice', { level: 'warning', message: `${damaged.length} annotation(s) of ${path} could not be read (damaged: ${damaged.join(', ')}) and are not shown; the project keeps them as they are.` });
      }
      return list;
    },

    'annotations.save': async (params) => withOpenProject(params.project, (store) => saveAnnotation(store, params, annotationAuthor())),

    'annotations.delete': async ({ project, id }) => withOpenProject(project, (store) => deleteAnnotation(store, id)),

    'report.render': async ({ spec, format }, { requestId, signal }) =>
      buildReport(this.reportServices(), { spec, format, model: this.models.get(spec.modelId), signal, onProgress: this.progress(requestId) }),

    'report.export': async ({ spec, format, out, overwrite }, { requestId, signal }) =>
      exportReport(this.reportServices(), { spec, format, out, overwrite, model: this.models.get(spec.modelId), signal, onProgress: this.progress(requestId) }),

    'dicom.export': async (params, { requestId, signal }) => {
      const loaded = this.models.get(params.modelId);
      const source = this.images.get(params.imageId);
      const { input } = await this.modelInput(loaded, { kind: 'image', imageId: params.imageId });
      return exportDicom({ model: loaded, image: { id: params.imageId, source }, input, params, signal, onProgress: this.progress(requestId) }, { attributions: this.attributions, uids: this.dicomUids });
    },

    'settings.get': async () => this.settingsReport(),

    'settings.set': async (patch) => {
      const settings = await saveSettings(patch);
      this.defaultProvider = settings.executionProvider;
      return this.settingsReport();
    },
  };

  /** What a report is computed with: the engine's own services, and the project's annotations. */
  private reportServices(): ReportServices {
    return { attributions: this.attributions, evaluations: this.evaluations, annotationsFor };
  }

  /** Opens a model; `auto` means the provider chosen in the settings. */
  private async openModel(request: OpenModelRequest): Promise<LoadedModel> {
    const provider = request.executionProvider === 'auto' ? this.defaultProvider : request.executionProvider;
    const loaded = await this.models.open({ ...request, executionProvider: provider });
    if (loaded.executionProvider.fallbackReason && provider !== 'auto') {
      this.emit('notice', { level: 'warning', message: `${provider.toUpperCase()} is not available (${loaded.executionProvider.fallbackReason}).` });
    }
    return loaded;
  }

  private async settingsReport(): Promise<Result<'settings.get'>> {
    const { settings, problem } = await loadSettings();
    if (problem) this.emit('notice', { level: 'warning', message: problem });
    return settingsReport(settings, { ...this.runtime, threads: this.pool.threads }, await probeExecutionProviders(), settingsFile());
  }

  /** A request's input row: an opened image preprocessed by the model card, or a tensor of the right shape. */
  private async modelInput(loaded: LoadedModel, source: z.output<typeof AttributionInput>): Promise<{ input: Float32Array; preprocessMs: number }> {
    const card = loaded.resolved.card;
    if (source.kind === 'image') {
      const prepared = await preprocess(this.images.get(source.imageId), card);
      return { input: prepared.data, preprocessMs: prepared.decodeMs + prepared.preprocessMs };
    }
    const expected = inputDims(card, 1);
    const dims = source.dims;
    if (dims.length !== expected.length || dims.some((d, i) => d !== expected[i])) {
      throw new LumenError('invalid-argument', `The input tensor has shape [${dims.join(', ')}]; the model expects [${expected.join(', ')}].`, 'Preprocess the image as the model card says, or pass --image.');
    }
    return { input: source.data, preprocessMs: 0 };
  }

  /** Progress events for a request: at most ~20, enough for a bar, not a flood. */
  private progress(requestId: string): (done: number, total: number, jobId?: number) => void {
    let last = -1;
    let first: ProgressSample | null = null;
    return (done, total, jobId) => {
      // The rate counts the work done since the first report: a resumed job's first report
      // already counts the images done before it stopped.
      const now = { done, at: performance.now() };
      first ??= now;
      // The first report always goes out (a job's id and its total are known from it), then ~20.
      if (last < 0 || done === total || done - last >= total / 20) {
        last = done;
        const rate = rateSince(first, now, total);
        this.emit('progress', { requestId, done, total, ...(jobId !== undefined ? { jobId } : {}), ...(rate ?? {}) });
      }
    };
  }

  async dispose(): Promise<void> {
    await this.pool.releaseAll();
  }
}

function modelSummary(m: LoadedModel): ModelSummary {
  return {
    id: m.id,
    fileName: m.fileName,
    sha256: m.sha256,
    sizeBytes: m.sizeBytes,
    builtIn: m.builtIn,
    card: m.resolved,
    inputs: runtimeInputs(m.model).map(signature),
    outputs: m.model.graph.outputs.map(signature),
    executionProvider: m.executionProvider,
    loadMs: m.loadMs,
  };
}

function imageSummary(id: string, s: ImageSource, preview: { width: number; height: number; data: Uint8Array }): ImageSummary {
  return {
    id,
    name: s.name,
    format: s.format,
    width: s.width,
    height: s.height,
    channels: s.channels,
    bitDepth: s.bitDepth,
    preview: { mime: 'image/png', ...preview },
    ...(s.dicom?.notes.length ? { notes: s.dicom.notes } : {}),
    ...(s.dicom && s.dicom.facts.frames > 1 ? { frame: { index: s.dicom.frame.frame, count: s.dicom.facts.frames } } : {}),
  };
}

/** Opens a project for one read, and closes it again. */
function withProject<T>(folder: string, read: (store: ProjectStore) => T): T {
  const store = ProjectStore.open(folder);
  try {
    return read(store);
  } finally {
    store.close();
  }
}
