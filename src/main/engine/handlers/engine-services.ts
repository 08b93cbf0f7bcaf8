import type { z } from 'zod';
import type { Result } from '../../../shared/contract/requests';
import type { EventName, EventPayload } from '../../../shared/contract/events';
import type { AttributionInput } from '../../../shared/contract/attribution';
import type { ExecutionProviderRequest } from '../../../shared/contract/execution-provider';
import type { AttributionService } from '../attribution/attribution-service';
import type { ForegroundActivity } from '../attribution/foreground-activity';
import type { ImageStore } from '../image/image-store';
import type { PreprocessedInputs } from '../image/preprocessed-inputs';
import type { EvaluationService } from '../metrics/evaluation-service';
import type { LoadedModel, ModelRegistry, OpenModelRequest } from '../model/model-registry';
import type { JobControls } from '../project/job-controls';
import type { UidMapper } from '../deidentify/uid-mapper';
import type { ReportServices } from '../report/report-model';

export type EmitEvent = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Progress of one request: done and total items, and the job's id for an audit. */
export type ReportProgress = (done: number, total: number, jobId?: number) => void;

/**
 * What the request handlers (one file per domain in this folder) use of the engine: its open models
 * and images, its services, and the few steps several domains share. The engine implements it; the
 * handlers never see the rest of it.
 */
export interface EngineServices {
  readonly models: ModelRegistry;
  readonly images: ImageStore;
  /** Each open image's model input, prepared once per model card. */
  readonly inputs: PreprocessedInputs;
  /** The requests a person waits on (classify, attribute); background work gives way to them. */
  readonly foreground: ForegroundActivity;
  readonly attributions: AttributionService;
  readonly evaluations: EvaluationService;
  readonly jobs: JobControls;
  /** De-identified DICOM exports replace UIDs through one mapping per session. */
  readonly dicomUids: UidMapper;
  readonly emit: EmitEvent;
  /** Progress events for a request (at most ~20 of them). */
  progress(requestId: string): ReportProgress;
  /** A request's input row: an opened image preprocessed by the model card, or a tensor of the right shape. */
  modelInput(loaded: LoadedModel, source: z.output<typeof AttributionInput>): Promise<{ input: Float32Array; preprocessMs: number }>;
  /** Starts making the default methods' graphs of a model ready in the background (a no-op for the CLI); resolves when they are. */
  precompile(model: LoadedModel): Promise<void>;
  /** Opens a model; `auto` means the provider chosen in the settings. */
  openModel(request: OpenModelRequest): Promise<LoadedModel>;
  /** Runs an audit after the audits already queued on the same execution provider. */
  queueAudit<T>(provider: string, run: () => Promise<T>): Promise<T>;
  /** What a report is computed with. */
  reportServices(): ReportServices;
  settingsReport(): Promise<Result<'settings.get'>>;
  /** The provider `auto` means for models opened from now on. */
  setDefaultProvider(provider: ExecutionProviderRequest): void;
}
