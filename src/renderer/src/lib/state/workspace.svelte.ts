import type { LumenApi } from '../../../../shared/contract/api';
import type { Classification } from '../../../../shared/contract/classification';
import type { ImageSummary } from '../../../../shared/contract/image';
import type { ModelSummary } from '../../../../shared/contract/model';
import type { ProjectSummary } from '../../../../shared/contract/project';
import type { AuditResult } from '../../../../shared/contract/audit';
import type { LumenError } from '../../../../shared/errors';
import { JobRunner } from '../jobs/job-runner.svelte';
import { AnnotationStore } from '../annotations/annotation-store.svelte';
import { reduceToMap } from './reduce-map';
import { DisplaySettings } from './display.svelte';
import { TaskRunner, type Task, type TaskWork } from './task-runner.svelte';
import { asLumenError } from './errors';
import { explanationKey, type Explanation, type MethodInfo, type MetricInfo } from './explanation';
import { activities } from '../text/progress-label';

export type Screen = 'start' | 'dataset' | 'inspector' | 'compare' | 'audit' | 'report' | 'models' | 'settings';

/** An image chosen for the report: a project image, and the class to explain (top class when absent). */
export interface ReportImage {
  dataset: string;
  path: string;
  target?: number;
}

/** Where the inspected image came from (a project image keeps its dataset path, for flags and reports). */
/** An image the inspector opened; `frame` is the 0-based frame of a multi-frame DICOM file the model sees. */
export type ImageRef = (
  | { kind: 'sample'; sampleId: string }
  | { kind: 'project'; project: string; dataset: string; path: string }
  | { kind: 'file'; name: string }
) & { frame?: number };

export type { Task } from './task-runner.svelte';

/**
 * The workstation's state: the open project, model and image, the explanations computed for the
 * image, and how they are displayed. Screens read and change it; only the methods below talk to the
 * engine, so every request reports progress and can be cancelled the same way.
 */
export class Workspace {
  screen: Screen = $state('start');
  model: ModelSummary | null = $state(null);
  methods: MethodInfo[] = $state([]);
  metrics: MetricInfo[] = $state([]);
  project: ProjectSummary | null = $state(null);
  dataset: string | null = $state(null);
  /** The run whose results the dataset browser shows as columns. */
  runId: number | null = $state(null);
  image: ImageSummary | null = $state(null);
  imageRef: ImageRef | null = $state(null);
  classification: Classification | null = $state(null);
  /** The class explained; the top class when null. */
  target: number | null = $state(null);
  explanations: Explanation[] = $state([]);
  /** The explanation shown in the inspector. */
  activeKey: string | null = $state(null);
  /** Keys of the explanations in the side-by-side grid, in order. */
  compareKeys: string[] = $state([]);
  /** The inspector's long request (an attribution or a measurement): progress and cancel. */
  readonly tasks = new TaskRunner();
  error: LumenError | null = $state(null);
  readonly display = new DisplaySettings();
  jobsOpen = $state(false);
  /** The audit shown in the audit view: a run, with its full result when this page ran it. */
  audit: { runId: number; result: AuditResult | null } | null = $state(null);
  readonly jobs: JobRunner;
  /** Images chosen for the report (from the inspector or the dataset browser's selection). */
  reportImages: ReportImage[] = $state([]);

  /** The annotations of the inspected project image. */
  readonly notes: AnnotationStore;

  constructor(readonly api: LumenApi) {
    this.jobs = new JobRunner(api);
    this.notes = new AnnotationStore(api);
  }

  get active(): Explanation | null {
    return this.explanations.find((e) => e.key === this.activeKey) ?? null;
  }

  get effectiveTarget(): number | null {
    return this.target ?? this.classification?.predictions[0]?.index ?? null;
  }

  async init(): Promise<void> {
    await this.guard(async () => {
      const [model, methods, metrics] = await Promise.all([this.api.call('models.open', {}), this.api.call('methods.list', {}), this.api.call('metrics.list', {})]);
      this.model = model;
      this.methods = methods;
      this.metrics = metrics;
    });
  }

  async openProject(path: string, create = false): Promise<void> {
    await this.guard(async () => {
      this.setProject(await this.api.call('projects.open', { path, create }));
    });
  }

  async openDemo(): Promise<void> {
    await this.guard(async () => {
      this.setProject(await this.api.call('projects.demo', {}));
    });
  }

  async refreshProject(): Promise<void> {
    if (!this.project) return;
    const path = this.project.path;
    await this.guard(async () => {
      this.project = await this.api.call('projects.open', { path });
    });
  }

  private setProject(project: ProjectSummary): void {
    this.project = project;
    this.dataset = project.datasets[0]?.name ?? null;
    this.runId = null;
    this.screen = 'dataset';
  }

  /** Opens an image in the inspector and classifies it; explanations of the previous image go. */
  private fileBytes: Uint8Array | null = null;

  async openImage(ref: ImageRef, bytes?: Uint8Array): Promise<void> {
    const model = this.model;
    if (!model) return;
    await this.guard(async () => {
      let image: ImageSummary;
      const frame = ref.frame ? { frame: ref.frame } : {};
      if (ref.kind === 'sample') image = await this.api.call('images.open', { source: 'sample', sampleId: ref.sampleId, ...frame });
      else if (ref.kind === 'project') image = await this.api.call('images.open', { source: 'project', project: ref.project, dataset: ref.dataset, path: ref.path, ...frame });
      else image = await this.api.call('images.open', { source: 'bytes', name: ref.name, data: bytes ?? new Uint8Array(), ...frame });
      // A file's bytes are kept (not reactive state) so that another of its frames can be opened.
      this.fileBytes = ref.kind === 'file' ? (bytes ?? null) : null;
      const classification = await this.api.call('classify', { modelId: model.id, imageId: image.id, topK: 10 });
      this.image = image;
      this.imageRef = ref;
      this.classification = classification;
      this.target = null;
      this.explanations = [];
      this.activeKey = null;
      this.compareKeys = [];
      this.screen = 'inspector';
    });
  }

  /** Opens another frame of the open multi-frame DICOM image for the model (a new image: its own explanations). */
  async openFrame(frame: number): Promise<void> {
    const ref = this.imageRef;
    if (!ref) return;
    await this.openImage({ ...ref, frame }, this.fileBytes ?? undefined);
  }

  /** Computes (or reuses) an explanation of the open image for the current target. */
  async explain(method: MethodInfo, params: Record<string, unknown>, options: { compare?: boolean } = {}): Promise<Explanation | null> {
    const model = this.model;
    const image = this.image;
    const target = this.effectiveTarget;
    if (!model || !image || target === null) return null;
    const key = explanationKey(method.id, params, target);
    const existing = this.explanations.find((e) => e.key === key);
    if (existing) {
      this.show(existing, options.compare ?? false);
      return existing;
    }
    return this.run(activities.computing(method.label), async (signal, onProgress) => {
      const result = await this.api.call('attribute', { modelId: model.id, input: { kind: 'image', imageId: image.id }, method: method.id, target, params }, { signal, onProgress });
      const explanation: Explanation = { key, method, params, target, result, map: reduceToMap(result, model.card.card.input.layout) };
      // The image may have changed while this ran: keep the result only for the image it explains.
      if (this.image?.id !== image.id) return null;
      this.explanations = [...this.explanations, explanation];
      this.show(explanation, options.compare ?? false);
      return explanation;
    });
  }

  private show(explanation: Explanation, compare: boolean): void {
    this.activeKey = explanation.key;
    if (compare && !this.compareKeys.includes(explanation.key)) this.compareKeys = [...this.compareKeys, explanation.key];
  }

  /** Deletion and insertion of an explanation's own map (no recomputation of the attribution). */
  async measure(explanation: Explanation, metrics: Array<{ metric: string; params?: Record<string, unknown> }> = [{ metric: 'deletion' }, { metric: 'insertion' }]): Promise<void> {
    const model = this.model;
    const image = this.image;
    if (!model || !image) return;
    await this.run(activities.measuring(metrics.map((m) => m.metric), explanation.method.label), async (signal, onProgress) => {
      const evaluation = await this.api.call(
        'evaluate',
        {
          modelId: model.id,
          input: { kind: 'image', imageId: image.id },
          method: explanation.method.id,
          target: explanation.target,
          params: explanation.params,
          attribution: { dims: explanation.result.dims, data: explanation.result.data },
          metrics: metrics.map((m) => ({ metric: m.metric, params: m.params ?? {} })),
        },
        { signal, onProgress },
      );
      const merged = explanation.evaluation
        ? { ...evaluation, metrics: [...explanation.evaluation.metrics.filter((m) => !evaluation.metrics.some((n) => n.metric === m.metric)), ...evaluation.metrics] }
        : evaluation;
      this.explanations = this.explanations.map((e) => (e.key === explanation.key ? { ...e, evaluation: merged } : e));
      return null;
    });
  }

  /** Adds images to the report, once each (the same image with another target is another entry). */
  addToReport(images: ReportImage[]): void {
    const key = (i: ReportImage): string => `${i.dataset}|${i.path}|${i.target ?? ''}`;
    const have = new Set(this.reportImages.map(key));
    this.reportImages = [...this.reportImages, ...images.filter((i) => !have.has(key(i)))];
  }

  removeExplanation(key: string): void {
    this.explanations = this.explanations.filter((e) => e.key !== key);
    this.compareKeys = this.compareKeys.filter((k) => k !== key);
    if (this.activeKey === key) this.activeKey = this.explanations.at(-1)?.key ?? null;
  }

  get task(): Task | null {
    return this.tasks.task;
  }

  cancelTask(): void {
    this.tasks.cancel();
  }

  /** Runs a long request as the inspector's task; its failure shows in the workspace's banner. */
  private async run<T>(label: string, work: TaskWork<T>): Promise<T | null> {
    const result = await this.tasks.run(label, work);
    if (this.tasks.error) this.error = this.tasks.error;
    return result;
  }

  private async guard(work: () => Promise<void>): Promise<void> {
    this.error = null;
    try {
      await work();
    } catch (e) {
      this.error = asLumenError(e);
    }
  }
}
