import type { LumenApi } from '../../../../shared/contract/api';
import type { AuditResult } from '../../../../shared/contract/audit';
import { LumenError, toErrorPayload } from '../../../../shared/errors';
import {
  emptyJobsState,
  isActivePhase,
  jobRows,
  liveRowKey,
  reduceJobs,
  sameAudit,
  type AuditParamsIn,
  type ErrorInfo,
  type EvaluationParamsIn,
  type EvaluationResult,
  type JobParams,
  type JobEvent,
  type JobRow,
  type JobsState,
  type StopAction,
} from './job-state';

function errorInfo(e: unknown): ErrorInfo {
  const payload = toErrorPayload(e);
  return payload.hint === undefined ? { code: payload.code, message: payload.message } : { code: payload.code, message: payload.message, hint: payload.hint };
}

type Outcome = AuditResult | EvaluationResult | null;

/**
 * The audits this page runs, and what the engine says about every job of a project. One per page
 * (or app): screens start audits (and comparisons of methods, one audit job per method) here and
 * the jobs panel shows and controls them.
 *
 *   const runner = new JobRunner(api);
 *   const result = await runner.start({ project, dataset, modelId, method }, 'Grad-CAM on chest-xray');
 *   const ranking = await runner.compare({ project, dataset, modelId, methods, metrics }, 'Compare 2 methods');
 *
 * `start` and `compare` never reject: they resolve with the result, or null when the job was
 * paused, cancelled or failed (the row says which, and why).
 */
export class JobRunner {
  #state: JobsState = $state.raw(emptyJobsState);
  readonly #controllers = new Map<string, AbortController>();
  readonly #running = new Map<string, Promise<Outcome>>();
  /** Why `jobs.list` failed, by project (shown by the panel). */
  listErrors: Record<string, LumenError> = $state({});
  #counter = 0;

  constructor(
    readonly api: LumenApi,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  get state(): JobsState {
    return this.#state;
  }

  /** The panel's rows for a project (reactive: read it in a template or a $derived). */
  rows(project: string): JobRow[] {
    return jobRows(this.#state, project);
  }

  /** Whether any audit of this page is still in flight. */
  get busy(): boolean {
    return this.#state.live.some((j) => isActivePhase(j.phase));
  }

  dispatch(event: JobEvent): void {
    this.#state = reduceJobs(this.#state, event);
  }

  /**
   * Starts an audit. The same audit already in flight is not started twice (its promise is
   * returned); the same audit finished or stopped before is resumed under its row.
   */
  start(params: AuditParamsIn, label: string): Promise<AuditResult | null> {
    return this.#launch(params, label).then((r) => (r !== null && !('ranking' in r) ? r : null));
  }

  /**
   * Compares methods on a project's dataset: each method an audit job of the project, one after
   * another, then the ranking. Started, stopped and resumed as an audit is.
   */
  compare(params: EvaluationParamsIn, label: string): Promise<EvaluationResult | null> {
    return this.#launch(params, label).then((r) => (r !== null && 'ranking' in r ? r : null));
  }

  #launch(params: JobParams, label: string): Promise<Outcome> {
    const same = this.#state.live.find((j) => j.project === params.project && sameAudit(j.params, params));
    if (same && isActivePhase(same.phase)) return this.#running.get(same.key) ?? Promise.resolve(null);
    this.#counter += 1;
    const key = same?.key ?? `${'methods' in params ? 'comparison' : 'audit'}-${this.clock().toString(36)}-${this.#counter}`;
    return this.#run(key, params, label);
  }

  /** Runs a paused, cancelled or failed audit (or comparison) of this page again: the engine resumes it. */
  resume(rowKey: string): Promise<Outcome> {
    const job = this.#state.live.find((j) => liveRowKey(j.key) === rowKey);
    if (!job || isActivePhase(job.phase)) return Promise.resolve(null);
    return this.#run(job.key, job.params, job.label);
  }

  #run(key: string, params: JobParams, label: string): Promise<Outcome> {
    const controller = new AbortController();
    this.#controllers.set(key, controller);
    this.dispatch({ type: 'start', key, label, params, now: this.clock() });
    const promise: Promise<Outcome> = this.#execute(key, params, controller.signal).finally(() => {
      if (this.#controllers.get(key) === controller) this.#controllers.delete(key);
      if (this.#running.get(key) === promise) this.#running.delete(key);
      void this.refresh(params.project);
    });
    this.#running.set(key, promise);
    return promise;
  }

  async #execute(key: string, params: JobParams, signal: AbortSignal): Promise<Outcome> {
    try {
      if ('methods' in params) return await this.#compare(key, params, signal);
      const result = await this.api.call('audit', params, {
        signal,
        onProgress: (p) =>
          this.dispatch({ type: 'progress', key, done: p.done, total: p.total, ratePerSecond: p.ratePerSecond, etaSeconds: p.etaSeconds, jobId: p.jobId, now: this.clock() }),
      });
      this.dispatch({ type: 'settled', key, result });
      return result.state === 'done' ? result : null;
    } catch (e) {
      this.dispatch({ type: 'failed', key, error: errorInfo(e) });
      return null;
    }
  }

  async #compare(key: string, params: EvaluationParamsIn, signal: AbortSignal): Promise<EvaluationResult> {
    const result = await this.api.call('evaluation.dataset', params, {
      signal,
      // The engine counts each method's images; the bar counts all of them, method after method
      // (the message ends with the method), so it never starts again at the next one.
      onProgress: (p) => {
        const index = Math.max(0, params.methods.indexOf(p.message?.split(' · ').at(-1) ?? ''));
        const total = p.total * params.methods.length;
        this.dispatch({ type: 'progress', key, done: index * p.total + p.done, total, jobId: p.jobId, now: this.clock() });
      },
    });
    this.dispatch({ type: 'evaluated', key, result });
    return result;
  }

  pause(row: JobRow): Promise<void> {
    return this.#stop(row, 'pause');
  }

  cancel(row: JobRow): Promise<void> {
    return this.#stop(row, 'cancel');
  }

  async #stop(row: JobRow, action: StopAction): Promise<void> {
    const liveKey = row.live ? row.key.slice('live:'.length) : null;
    const controller = liveKey ? this.#controllers.get(liveKey) : undefined;
    this.dispatch({ type: 'stopping', rowKey: row.key, action });
    if (row.jobId === null) {
      // Not started yet (queued behind another audit): withdrawing the request cancels it.
      if (action === 'cancel' && controller) controller.abort();
      else this.dispatch({ type: 'stop-refused', rowKey: row.key, notice: { kind: 'elsewhere', action } });
      return;
    }
    try {
      const { signalled } = await this.api.call(action === 'pause' ? 'jobs.pause' : 'jobs.cancel', { project: row.project, jobId: row.jobId });
      if (signalled) return;
      // The engine is not running it: this page's request may still be waiting in the queue.
      if (action === 'cancel' && controller) controller.abort();
      else this.dispatch({ type: 'stop-refused', rowKey: row.key, notice: { kind: 'elsewhere', action } });
    } catch (e) {
      this.dispatch({ type: 'stop-refused', rowKey: row.key, notice: { kind: 'error', action, message: errorInfo(e).message } });
    } finally {
      void this.refresh(row.project);
    }
  }

  /** Forgets a finished row of this page (the engine's list keeps the job). */
  dismiss(row: JobRow): void {
    this.dispatch({ type: 'dismiss', rowKey: row.key });
  }

  /** Asks the engine for the project's jobs. */
  async refresh(project: string): Promise<void> {
    try {
      const jobs = await this.api.call('jobs.list', { project });
      this.dispatch({ type: 'listed', project, jobs, now: this.clock() });
      if (project in this.listErrors) {
        const { [project]: _gone, ...rest } = this.listErrors;
        this.listErrors = rest;
      }
    } catch (e) {
      this.listErrors = { ...this.listErrors, [project]: e instanceof LumenError ? e : LumenError.fromPayload(toErrorPayload(e)) };
    }
  }

  /** Withdraws every request of this page (the engine pauses nothing: it cancels them). */
  abortAll(): void {
    for (const controller of this.#controllers.values()) controller.abort();
  }
}
