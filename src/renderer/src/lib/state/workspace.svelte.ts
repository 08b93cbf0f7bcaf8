import { tick } from 'svelte';
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
import { appText } from '../text/app';
import { ReportDraft } from './report-draft.svelte';
import { ExplanationMemory } from './explanation-memory';
import { explanationStaleness, fromStored, originNow, saveRequest, type ProjectImage } from './stored-explanations';
import { readOnlyReason } from './read-only';
import { ExplainStopwatch } from './explain-timing';

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
  /** Counts the engine's news that the open project's data changed (lib/dataset/follow-project-changes.ts): views of it fetch again when it moves. */
  projectRevision = $state(0);
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
  /** The report being written (form, images, preview, undo history), kept per project across screens and reloads. */
  readonly reportDraft = new ReportDraft(appText.report.defaultTitle);
  /** Images chosen for the report (from the inspector or the dataset browser's selection): the draft's. */
  get reportImages(): ReportImage[] {
    return this.reportDraft.images;
  }
  set reportImages(images: ReportImage[]) {
    this.reportDraft.images = images;
  }

  /** The annotations of the inspected project image. */
  readonly notes: AnnotationStore;
  /** The explanations of images left in this session, restored when one is opened again. */
  readonly explanationMemory = new ExplanationMemory();
  /** What the user should know about keeping explanations (not stored in the project, and why). */
  explanationNotice: string | null = $state(null);

  constructor(readonly api: LumenApi) {
    this.jobs = new JobRunner(api);
    this.notes = new AnnotationStore(api);
    this.reportDraft.follow(() => this.project?.path ?? null);
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
      this.rememberExplanations();
      this.image = image;
      this.imageRef = ref;
      this.classification = classification;
      this.target = null;
      await this.restoreExplanations(image, ref);
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
  async explain(method: MethodInfo, params: Record<string, unknown>, options: { compare?: boolean; target?: number } = {}): Promise<Explanation | null> {
    const model = this.model;
    const image = this.image;
    const target = options.target ?? this.effectiveTarget;
    if (!model || !image || target === null) return null;
    const key = explanationKey(method.id, params, target);
    const existing = this.explanations.find((e) => e.key === key);
    // A stale one (another model or Lumen made it) is computed again, in its place.
    if (existing && !this.staleness(existing)) {
      this.show(existing, options.compare ?? false);
      return existing;
    }
    const stored = this.projectImage();
    const stopwatch = new ExplainStopwatch();
    return this.run(activities.computing(method.label), async (signal, onProgress) => {
      const result = await this.api.call('attribute', { modelId: model.id, input: { kind: 'image', imageId: image.id }, method: method.id, target, params }, { signal, onProgress, timeline: stopwatch.call });
      const explanation: Explanation = { key, method, params, target, result, map: reduceToMap(result, model.card.card.input.layout), origin: originNow(model) };
      stopwatch.decoded();
      // The image may have changed while this ran: keep the result only for the image it explains.
      if (this.image?.id !== image.id) return null;
      this.explanations = this.explanations.some((e) => e.key === key) ? this.explanations.map((e) => (e.key === key ? explanation : e)) : [...this.explanations, explanation];
      this.show(explanation, options.compare ?? false);
      if (stored) void this.storeExplanation(stored, explanation, model);
      void this.recordTiming(explanation, stopwatch);
      return explanation;
    });
  }

  /** Once the overlay is on screen: how long the explanation took from the click, and where the time went. */
  private async recordTiming(explanation: Explanation, stopwatch: ExplainStopwatch): Promise<void> {
    const timing = await stopwatch.afterDraw(explanation.result, tick);
    // Only onto the very result it timed (not one computed again since, or another image's); the
    // state holds proxies of the objects, so the map's array, never proxied, identifies it.
    this.explanations = this.explanations.map((e) => (e.key === explanation.key && e.result.data === explanation.result.data ? { ...e, timing } : e));
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
    const removed = this.explanations.find((e) => e.key === key);
    const stored = this.projectImage();
    if (removed && stored) void this.api.call('explanations.delete', { ...stored, method: removed.method.id, params: removed.params, target: removed.target }).catch((e: unknown) => (this.explanationNotice = asLumenError(e).message));
    this.explanations = this.explanations.filter((e) => e.key !== key);
    this.compareKeys = this.compareKeys.filter((k) => k !== key);
    if (this.activeKey === key) this.activeKey = this.explanations.at(-1)?.key ?? null;
  }

  /** Why a kept explanation is stale (another model, Lumen version, parameters the method refuses now); null when current. */
  staleness(explanation: Explanation): string | null {
    return explanationStaleness(explanation, this.model);
  }

  /** Computes a (stale) explanation again with the open model, for its own target and parameters. */
  async recompute(explanation: Explanation): Promise<Explanation | null> {
    const method = this.methods.find((m) => m.id === explanation.method.id);
    if (!method) return null;
    return this.explain(method, explanation.params, { target: explanation.target });
  }

  /** The open image as a project image whose explanations the project keeps; null for others and read-only projects. */
  private projectImage(): ProjectImage | null {
    const ref = this.imageRef;
    if (ref?.kind !== 'project' || readOnlyReason(this.project) !== null) return null;
    return { project: ref.project, dataset: ref.dataset, path: ref.path, frame: ref.frame ?? 0 };
  }

  private rememberExplanations(): void {
    if (this.image) this.explanationMemory.remember(this.image.id, { explanations: this.explanations, activeKey: this.activeKey, compareKeys: this.compareKeys });
  }

  /** The explanations of an image opened again: this session's, else those stored in its project. */
  private async restoreExplanations(image: ImageSummary, ref: ImageRef): Promise<void> {
    this.explanationNotice = null;
    const kept = this.explanationMemory.recall(image.id);
    this.explanations = kept?.explanations ?? [];
    this.activeKey = kept?.activeKey ?? null;
    this.compareKeys = kept?.compareKeys ?? [];
    const model = this.model;
    if (kept || ref.kind !== 'project' || !model) return;
    try {
      const listed = await this.api.call('explanations.list', { project: ref.project, dataset: ref.dataset, path: ref.path, frame: ref.frame ?? 0, modelSha256: model.sha256 });
      if (this.image?.id !== image.id) return;
      this.explanations = listed.explanations.map((s) => fromStored(s, this.methods, model.card.card.input.layout));
      this.activeKey = this.explanations.at(-1)?.key ?? null;
    } catch (e) {
      // The image is open all the same; only its stored explanations could not be read.
      this.explanationNotice = asLumenError(e).message;
    }
  }

  private async storeExplanation(image: ProjectImage, explanation: Explanation, model: ModelSummary): Promise<void> {
    try {
      const saved = await this.api.call('explanations.save', saveRequest(image, explanation, model));
      if (saved.notice) this.explanationNotice = saved.notice;
    } catch (e) {
      this.explanationNotice = asLumenError(e).message;
    }
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
