import type { z } from 'zod';
import { join } from 'node:path';
import { LumenError } from '../../shared/errors';
import type { Handlers } from '../../shared/contract/dispatcher';
import type { Result } from '../../shared/contract/requests';
import type { AttributionInput } from '../../shared/contract/attribution';
import type { ExecutionProviderRequest } from '../../shared/contract/execution-provider';
import { rateSince, type ProgressSample } from '../../shared/progress-rate';
import { ImageStore } from './image/image-store';
import { inputDims } from './image/preprocess';
import { ModelRegistry, type LoadedModel, type OpenModelRequest } from './model/model-registry';
import { probeExecutionProviders } from './runtime/execution-providers';
import { SessionPool } from './runtime/session-pool';
import { AttributionService } from './attribution/attribution-service';
import { GraphCache } from './attribution/graph-cache';
import { DefaultGraphs } from './attribution/precompile';
import { ForegroundActivity } from './attribution/foreground-activity';
import { PreprocessedInputs } from './image/preprocessed-inputs';
import { EvaluationService } from './metrics/evaluation-service';
import { JobControls } from './project/job-controls';
import { annotationsFor } from './project/annotations';
import { runtimeFor, settingsReport, type EngineRuntime } from './settings/settings-report';
import { loadSettings, loadSettingsSync, settingsFile } from './settings/settings-store';
import { UidMapper } from './deidentify/uid-mapper';
import type { ReportServices } from './report/report-model';
import { AllowedRoots } from './paths/allowed-roots';
import { browserDoor } from './paths/browser-door';
import { lumenHome } from './lumen-home';
import { resourcesDir } from './resources';
import { engineHandlers } from './handlers';
import type { EmitEvent, EngineServices, ReportProgress } from './handlers/engine-services';
import { closeKeptProjects } from './project/open-project-cache';

export type { EmitEvent } from './handlers/engine-services';

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
  /** Make the default methods' graphs ready in the background when a model is opened (the workstation's doors; not the one-shot CLI). */
  precompileDefaults?: boolean;
}

/** Open images kept in memory (the least recently used are dropped beyond it). */
const openImagesMaxBytes = 1024 * 1024 * 1024;
/** Compiled attribution graphs kept in memory (they are on disk too). */
const compiledGraphsInMemoryMaxBytes = 2048 * 1024 * 1024;

/**
 * The engine: plain Node, no Electron. It owns the open models and images and answers the
 * contract's requests; the CLI calls it directly, the app and the bridge through a process channel.
 */
export class Engine implements EngineServices {
  readonly pool: SessionPool;
  readonly models: ModelRegistry;
  readonly images: ImageStore;
  /** Each open image's model input, prepared once per model card. */
  readonly inputs = new PreprocessedInputs();
  /** The requests a person waits on; background work gives way to them. */
  readonly foreground = new ForegroundActivity();
  readonly attributions: AttributionService;
  readonly evaluations: EvaluationService;
  /** Precompiles the default methods' graphs of opened models; null where nobody waits on a click (the CLI). */
  private readonly defaultGraphs: DefaultGraphs | null;
  readonly emit: EmitEvent;
  private readonly auditQueues = new Map<string, Promise<unknown>>();
  readonly jobs = new JobControls();
  /** Threads and cache folder as the engine started with them (from the settings and overrides). */
  private readonly runtime: EngineRuntime;
  /** The provider `auto` means for models opened from now on: the settings' choice. */
  private defaultProvider: ExecutionProviderRequest;
  /** The folders a confined door may name: Lumen's own, and what the user chose (see confinePaths). */
  readonly allowedRoots = new AllowedRoots();
  /** De-identified DICOM exports replace UIDs through one mapping per session, so their objects keep referencing each other. */
  readonly dicomUids = new UidMapper();
  /** The contract's requests, answered by one module per domain (see handlers/), confined in the browser door. */
  readonly handlers: Handlers;

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
    this.defaultGraphs = options.precompileDefaults ? new DefaultGraphs(this.attributions, this.foreground) : null;
    this.emit = options.emit ?? (() => undefined);
    this.allowedRoots.allow(resourcesDir(), 'read');
    this.allowedRoots.allow(lumenHome(), 'write');
    this.allowedRoots.allow(this.runtime.cacheDir, 'write');
    const handlers = engineHandlers(this);
    this.handlers = options.confinePaths ? browserDoor(handlers, this.allowedRoots) : handlers;
  }

  /** What a report is computed with: the engine's own services, and the project's annotations. */
  reportServices(): ReportServices {
    return { attributions: this.attributions, evaluations: this.evaluations, annotationsFor };
  }

  /** Opens a model; `auto` means the provider chosen in the settings. */
  async openModel(request: OpenModelRequest): Promise<LoadedModel> {
    const provider = request.executionProvider === 'auto' ? this.defaultProvider : request.executionProvider;
    const loaded = await this.models.open({ ...request, executionProvider: provider });
    if (loaded.executionProvider.fallbackReason && provider !== 'auto') {
      this.emit('notice', { level: 'warning', message: `${provider.toUpperCase()} is not available (${loaded.executionProvider.fallbackReason}).` });
    }
    return loaded;
  }

  async settingsReport(): Promise<Result<'settings.get'>> {
    const { settings, problem } = await loadSettings();
    if (problem) this.emit('notice', { level: 'warning', message: problem });
    return settingsReport(settings, { ...this.runtime, threads: this.pool.threads }, await probeExecutionProviders(), settingsFile());
  }

  /** A request's input row: an opened image preprocessed by the model card, or a tensor of the right shape. */
  async modelInput(loaded: LoadedModel, source: z.output<typeof AttributionInput>): Promise<{ input: Float32Array; preprocessMs: number }> {
    const card = loaded.resolved.card;
    if (source.kind === 'image') {
      const prepared = await this.inputs.get(this.images.get(source.imageId), card);
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
  progress(requestId: string): ReportProgress {
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

  /** Starts making the default methods' graphs of a model ready, where this engine does that (see precompileDefaults); resolves when they are. */
  precompile(model: LoadedModel): Promise<void> {
    return this.defaultGraphs?.warm(model) ?? Promise.resolve();
  }

  queueAudit<T>(provider: string, run: () => Promise<T>): Promise<T> {
    const previous = this.auditQueues.get(provider) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(run);
    this.auditQueues.set(provider, next);
    return next;
  }

  setDefaultProvider(provider: ExecutionProviderRequest): void {
    this.defaultProvider = provider;
  }

  async dispose(): Promise<void> {
    this.defaultGraphs?.stop();
    closeKeptProjects();
    await this.pool.releaseAll();
  }
}
