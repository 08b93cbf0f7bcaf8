import type { z } from 'zod';
import type { AuditResult, JobInfo } from '../../../../shared/contract/audit';
import type { DatasetEvaluationResult } from '../../../../shared/contract/dataset-evaluation';
import type { ParamsIn } from '../../../../shared/contract/requests';
import { rateSince } from '../../../../shared/progress-rate';

/**
 * The state of a project's audit jobs as the jobs panel shows it, as a pure reducer: audits this
 * page started (live: their requests' progress events, results and errors) merged with what
 * `jobs.list` says (every job of the project, the CLI's included). No Svelte here; the runes store
 * in job-runner.svelte.ts dispatches these events.
 */

export type JobInfoRow = z.output<typeof JobInfo>;
export type AuditParamsIn = ParamsIn<'audit'>;
/** A comparison of methods on a project's dataset (`evaluation.dataset`): one audit job per method, one after another. */
export type EvaluationParamsIn = ParamsIn<'evaluation.dataset'> & { project: string; dataset: string };
export type EvaluationResult = z.output<typeof DatasetEvaluationResult>;
/** What a live job asked the engine for: an audit, or a comparison of methods. */
export type JobParams = AuditParamsIn | EvaluationParamsIn;

/** The methods a job runs: an audit's one, or a comparison's in order. */
export function methodsOf(params: JobParams): string[] {
  return 'methods' in params ? params.methods : [params.method];
}

export interface ErrorInfo {
  code: string;
  message: string;
  hint?: string;
}

export type StopAction = 'pause' | 'cancel';

/** A live audit's own phase, from what its request did. */
export type LivePhase = 'starting' | 'running' | 'pausing' | 'cancelling' | 'done' | 'paused' | 'cancelled' | 'failed';

export interface LiveJob {
  key: string;
  project: string;
  label: string;
  params: JobParams;
  phase: LivePhase;
  /** Known once the job shows up in `jobs.list` (or from the result). */
  jobId: number | null;
  runId: number | null;
  done: number;
  total: number;
  ratePerSecond: number | null;
  etaSeconds: number | null;
  /** The first progress of this request: the rate counts images computed since, not resumed ones. */
  firstProgress: { done: number; at: number } | null;
  error: ErrorInfo | null;
  result: AuditResult | null;
  /** A finished comparison's ranking and summary. */
  evaluation: EvaluationResult | null;
  /** Jobs already running when this one started: never this one. */
  busyAtStart: number[];
  stop: StopAction | null;
  startedAt: number;
}

/** Something the panel should say about a row: a stop the engine could not deliver, and why. */
export type Notice = { kind: 'elsewhere'; action: StopAction } | { kind: 'error'; action: StopAction; message: string };

export interface JobsState {
  live: LiveJob[];
  /** The last `jobs.list` of each project. */
  listed: Record<string, JobInfoRow[]>;
  /** Images per second of listed jobs, measured between polls, by `project#jobId`. */
  speeds: Record<string, { done: number; at: number; rate: number | null }>;
  /** Stops asked of jobs this page did not start, by row key. */
  stopping: Record<string, StopAction>;
  notices: Record<string, Notice>;
}

export const emptyJobsState: JobsState = { live: [], listed: {}, speeds: {}, stopping: {}, notices: {} };

export type JobEvent =
  | { type: 'start'; key: string; label: string; params: JobParams; now: number }
  | { type: 'progress'; key: string; done: number; total: number; ratePerSecond?: number | undefined; etaSeconds?: number | undefined; jobId?: number | undefined; now: number }
  | { type: 'settled'; key: string; result: AuditResult }
  | { type: 'evaluated'; key: string; result: EvaluationResult }
  | { type: 'failed'; key: string; error: ErrorInfo }
  | { type: 'stopping'; rowKey: string; action: StopAction }
  | { type: 'stop-refused'; rowKey: string; notice: Notice }
  | { type: 'listed'; project: string; jobs: JobInfoRow[]; now: number }
  | { type: 'dismiss'; rowKey: string };

export type JobStatus = 'queued' | 'running' | 'pausing' | 'cancelling' | 'paused' | 'interrupted' | 'done' | 'failed' | 'cancelled';

/** One line of the jobs panel. */
export interface JobRow {
  /** Stable across polls: `live:<key>` for audits this page started, `job:<project>#<id>` otherwise. */
  key: string;
  project: string;
  live: boolean;
  jobId: number | null;
  runId: number | null;
  /** What the page called it; null for jobs it did not start. */
  label: string | null;
  method: string | null;
  status: JobStatus;
  done: number;
  total: number;
  ratePerSecond: number | null;
  etaSeconds: number | null;
  /** Why it failed. */
  error: ErrorInfo | null;
  /** What the engine noted: why a job was interrupted, images that could not be read. */
  note: string | null;
  /** Images of a finished audit that could not be read. */
  failures: Array<{ path: string; error: string }>;
  notice: Notice | null;
  result: AuditResult | null;
  canPause: boolean;
  canCancel: boolean;
  canResume: boolean;
  canView: boolean;
}

/** How many finished audits of this page a project keeps (the engine's list has them all). */
export const keptFinished = 20;

const activePhases: ReadonlySet<LivePhase> = new Set(['starting', 'running', 'pausing', 'cancelling']);
const activeStatuses: ReadonlySet<JobStatus> = new Set(['queued', 'running', 'pausing', 'cancelling']);

export function isActivePhase(phase: LivePhase): boolean {
  return activePhases.has(phase);
}

export function isActiveStatus(status: JobStatus): boolean {
  return activeStatuses.has(status);
}

export const liveRowKey = (key: string): string => `live:${key}`;
export const listedRowKey = (project: string, jobId: number): string => `job:${project}#${jobId}`;
const speedKey = (project: string, jobId: number): string => `${project}#${jobId}`;

/** The same audit: the engine resumes the same run for the same parameters (a selection in any order). */
export function sameAudit(a: JobParams, b: JobParams): boolean {
  const norm = (p: JobParams): JobParams => ('paths' in p && p.paths ? { ...p, paths: [...p.paths].sort() } : p);
  return canonical(norm(a)) === canonical(norm(b));
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}

/** Images per second between two samples; null when too close together to say. */
function rateBetween(from: { done: number; at: number }, done: number, at: number): number | null {
  const seconds = (at - from.at) / 1000;
  if (seconds < 0.5 || done < from.done) return null;
  return (done - from.done) / seconds;
}

function updateLive(state: JobsState, key: string, update: (job: LiveJob) => LiveJob): JobsState {
  let changed = false;
  const live = state.live.map((j) => {
    if (j.key !== key) return j;
    changed = true;
    return update(j);
  });
  return changed ? { ...state, live } : state;
}

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record;
  const { [key]: _gone, ...rest } = record;
  return rest;
}

/** Drops the oldest finished live jobs of a project beyond `keptFinished`. */
function pruneFinished(live: LiveJob[], project: string): LiveJob[] {
  const finished = live.filter((j) => j.project === project && !isActivePhase(j.phase));
  if (finished.length <= keptFinished) return live;
  const drop = new Set(
    finished
      .sort((a, b) => a.startedAt - b.startedAt)
      .slice(0, finished.length - keptFinished)
      .map((j) => j.key),
  );
  return live.filter((j) => !drop.has(j.key));
}

function stoppedPhase(job: LiveJob): LivePhase {
  return job.stop === 'pause' ? 'paused' : 'cancelled';
}

export function reduceJobs(state: JobsState, event: JobEvent): JobsState {
  switch (event.type) {
    case 'start': {
      const project = event.params.project;
      const previous = state.live.find((j) => j.key === event.key);
      const running = (state.listed[project] ?? []).filter((j) => j.state === 'running').map((j) => j.id);
      const job: LiveJob = {
        key: event.key,
        project,
        label: event.label,
        params: event.params,
        phase: 'starting',
        // A resumed audit keeps its job and run: the engine resumes the same ones.
        jobId: previous?.jobId ?? null,
        runId: previous?.runId ?? null,
        done: previous?.done ?? 0,
        total: previous?.total ?? 0,
        ratePerSecond: null,
        etaSeconds: null,
        firstProgress: null,
        error: null,
        result: null,
        evaluation: null,
        busyAtStart: running.filter((id) => id !== previous?.jobId),
        stop: null,
        startedAt: event.now,
      };
      const live = previous ? state.live.map((j) => (j.key === event.key ? job : j)) : [...state.live, job];
      return { ...state, live, notices: withoutKey(state.notices, liveRowKey(event.key)) };
    }

    case 'progress':
      return updateLive(state, event.key, (j) => {
        if (!isActivePhase(j.phase)) return j;
        const first = j.firstProgress ?? { done: event.done, at: event.now };
        // From the work done since this request's first progress only (not resumed images), and
        // no ETA until the rate means something.
        const measured = rateSince(first, { done: event.done, at: event.now }, event.total)?.ratePerSecond ?? null;
        const rate = measured ?? (j.firstProgress ? j.ratePerSecond : (event.ratePerSecond ?? null));
        const eta = rate !== null && rate > 0 ? Math.max(0, event.total - event.done) / rate : (event.etaSeconds ?? null);
        return {
          ...j,
          phase: j.phase === 'starting' ? 'running' : j.phase,
          done: Math.max(j.total === event.total ? j.done : 0, event.done),
          total: event.total,
          ratePerSecond: rate,
          etaSeconds: event.done >= event.total ? 0 : eta,
          firstProgress: first,
          // The engine names the job in its progress: no need to guess it from jobs.list.
          jobId: event.jobId ?? j.jobId,
        };
      });

    case 'settled': {
      const { result } = event;
      const settled = updateLive(state, event.key, (j) => ({
        ...j,
        phase: result.state === 'done' ? 'done' : result.state === 'failed' ? 'failed' : stoppedPhase(j),
        jobId: result.jobId,
        runId: result.runId,
        done: result.resumed + result.computed,
        total: result.total,
        etaSeconds: null,
        result,
        stop: null,
      }));
      const job = settled.live.find((j) => j.key === event.key);
      if (!job) return settled;
      // An older live entry of the same job is this one's past: one row per job.
      const live = settled.live.filter((j) => j.key === event.key || j.project !== job.project || j.jobId !== result.jobId || isActivePhase(j.phase));
      return { ...settled, live: pruneFinished(live, job.project) };
    }

    case 'evaluated': {
      // Each method's audit job is the engine's to list: the comparison's row keeps none of them.
      const evaluated = updateLive(state, event.key, (j) => ({ ...j, phase: 'done', jobId: null, runId: null, done: j.total, etaSeconds: null, evaluation: event.result, stop: null }));
      const job = evaluated.live.find((j) => j.key === event.key);
      return job ? { ...evaluated, live: pruneFinished(evaluated.live, job.project) } : evaluated;
    }

    case 'failed': {
      const failed = updateLive(state, event.key, (j) => ({
        ...j,
        phase: event.error.code === 'cancelled' ? stoppedPhase(j) : 'failed',
        error: event.error.code === 'cancelled' ? null : event.error,
        etaSeconds: null,
        stop: null,
      }));
      const job = failed.live.find((j) => j.key === event.key);
      return job ? { ...failed, live: pruneFinished(failed.live, job.project) } : failed;
    }

    case 'stopping': {
      const notices = withoutKey(state.notices, event.rowKey);
      if (event.rowKey.startsWith('live:')) {
        const next = updateLive(state, event.rowKey.slice('live:'.length), (j) =>
          isActivePhase(j.phase) ? { ...j, phase: event.action === 'pause' ? 'pausing' : 'cancelling', stop: event.action } : j,
        );
        return { ...next, notices };
      }
      return { ...state, stopping: { ...state.stopping, [event.rowKey]: event.action }, notices };
    }

    case 'stop-refused': {
      const notices = { ...state.notices, [event.rowKey]: event.notice };
      if (event.rowKey.startsWith('live:')) {
        const next = updateLive(state, event.rowKey.slice('live:'.length), (j) =>
          j.phase === 'pausing' || j.phase === 'cancelling' ? { ...j, phase: j.firstProgress || j.jobId !== null ? 'running' : 'starting', stop: null } : j,
        );
        return { ...next, notices };
      }
      return { ...state, stopping: withoutKey(state.stopping, event.rowKey), notices };
    }

    case 'listed': {
      const { project, jobs, now } = event;
      // Speeds of jobs seen running, measured between polls.
      const speeds = { ...state.speeds };
      for (const j of jobs) {
        const k = speedKey(project, j.id);
        const before = speeds[k];
        if (j.state !== 'running') {
          delete speeds[k];
          continue;
        }
        if (!before || j.done < before.done) speeds[k] = { done: j.done, at: now, rate: null };
        else if (j.done > before.done) {
          const measured = rateBetween(before, j.done, now);
          if (measured !== null) speeds[k] = { done: j.done, at: now, rate: before.rate === null ? measured : 0.5 * before.rate + 0.5 * measured };
        }
      }
      // A stop asked of a job that is no longer running has been answered.
      const byId = new Map(jobs.map((j) => [j.id, j]));
      const stopping = Object.fromEntries(
        Object.entries(state.stopping).filter(([rowKey]) => {
          const prefix = `job:${project}#`;
          if (!rowKey.startsWith(prefix)) return true;
          return byId.get(Number(rowKey.slice(prefix.length)))?.state === 'running';
        }),
      );
      // Live audits learn their job: a running job of the same method that nobody else has, that
      // was not already running when the audit started, with the same number of images.
      const bound = new Set(state.live.filter((j) => j.project === project && j.jobId !== null && isActivePhase(j.phase)).map((j) => j.jobId));
      const live = state.live.map((j) => {
        if (j.project !== project || j.jobId !== null || !isActivePhase(j.phase)) return j;
        const match = jobs
          .filter((c) => c.state === 'running' && !bound.has(c.id) && !j.busyAtStart.includes(c.id))
          .filter((c) => c.method === null || methodsOf(j.params).includes(c.method))
          .filter((c) => j.total === 0 || c.total === j.total)
          .sort((a, b) => b.id - a.id)[0];
        if (!match) return j;
        bound.add(match.id);
        return { ...j, jobId: match.id, runId: match.runId };
      });
      return { ...state, live, listed: { ...state.listed, [project]: jobs }, speeds, stopping };
    }

    case 'dismiss': {
      if (event.rowKey.startsWith('live:')) {
        const key = event.rowKey.slice('live:'.length);
        return { ...state, live: state.live.filter((j) => j.key !== key || isActivePhase(j.phase)), notices: withoutKey(state.notices, event.rowKey) };
      }
      return { ...state, notices: withoutKey(state.notices, event.rowKey) };
    }
  }
}

const interruptedNote = /^interrupted\b/i;

function liveStatus(job: LiveJob, listed: JobInfoRow | undefined): JobStatus {
  switch (job.phase) {
    case 'starting':
      return listed?.state === 'running' || job.firstProgress !== null ? 'running' : 'queued';
    case 'cancelled':
      // A pause the engine reported as a cancel: the job's own record knows.
      return listed?.state === 'paused' ? 'paused' : 'cancelled';
    default:
      return job.phase;
  }
}

function listedStatus(job: JobInfoRow, stopping: StopAction | undefined): JobStatus {
  if (job.state === 'running' && stopping) return stopping === 'pause' ? 'pausing' : 'cancelling';
  if (job.state === 'paused' && job.error !== null && interruptedNote.test(job.error)) return 'interrupted';
  return job.state;
}

const statusOrder: Record<JobStatus, number> = {
  running: 0,
  pausing: 0,
  cancelling: 0,
  queued: 1,
  paused: 2,
  interrupted: 2,
  failed: 3,
  done: 4,
  cancelled: 4,
};

/** The rows of a project's jobs: running first, then queued, paused, and finished, newest first. */
export function jobRows(state: JobsState, project: string): JobRow[] {
  const listed = state.listed[project] ?? [];
  const byId = new Map(listed.map((j) => [j.id, j]));
  const live = state.live.filter((j) => j.project === project);
  const liveIds = new Set(live.map((j) => j.jobId).filter((id): id is number => id !== null));
  const rows: JobRow[] = [];

  for (const job of live) {
    const info = job.jobId !== null ? byId.get(job.jobId) : undefined;
    const status = liveStatus(job, info);
    const sameCount = info !== undefined && (job.total === 0 || info.total === job.total);
    const done = sameCount && isActiveStatus(status) ? Math.max(job.done, info.done) : job.done;
    const total = job.total || info?.total || 0;
    const speed = job.jobId !== null ? state.speeds[speedKey(project, job.jobId)] : undefined;
    const rate = job.ratePerSecond ?? speed?.rate ?? null;
    const rowKey = liveRowKey(job.key);
    const failures = job.result?.failures ?? [];
    rows.push({
      key: rowKey,
      project,
      live: true,
      jobId: job.jobId,
      runId: job.runId ?? info?.runId ?? null,
      label: job.label,
      method: methodsOf(job.params).join(', '),
      status,
      done,
      total,
      ratePerSecond: isActiveStatus(status) ? rate : null,
      etaSeconds: isActiveStatus(status) ? (job.etaSeconds ?? (rate ? Math.max(0, total - done) / rate : null)) : null,
      error: status === 'failed' ? (job.error ?? (info?.error ? { code: 'failed', message: info.error } : null)) : null,
      note: status === 'done' && failures.length === 0 ? null : (info?.error ?? null),
      failures,
      notice: state.notices[rowKey] ?? null,
      result: job.result,
      canPause: status === 'running' && job.jobId !== null,
      canCancel: status === 'running' || status === 'queued',
      canResume: status === 'paused' || status === 'cancelled' || status === 'failed',
      canView: status === 'done' && (job.runId ?? info?.runId ?? null) !== null,
    });
  }

  for (const info of listed) {
    if (liveIds.has(info.id)) continue;
    const rowKey = listedRowKey(project, info.id);
    const status = listedStatus(info, state.stopping[rowKey]);
    const speed = state.speeds[speedKey(project, info.id)];
    const rate = isActiveStatus(status) ? (speed?.rate ?? null) : null;
    rows.push({
      key: rowKey,
      project,
      live: false,
      jobId: info.id,
      runId: info.runId,
      label: null,
      method: info.method,
      status,
      done: info.done,
      total: info.total,
      ratePerSecond: rate,
      etaSeconds: rate ? Math.max(0, info.total - info.done) / rate : null,
      error: status === 'failed' && info.error ? { code: 'failed', message: info.error } : null,
      note: status === 'failed' ? null : info.error,
      failures: [],
      notice: state.notices[rowKey] ?? null,
      result: null,
      canPause: status === 'running',
      canCancel: status === 'running',
      // The parameters of a job this page did not start are not known here.
      canResume: false,
      canView: status === 'done' && info.runId !== null,
    });
  }

  const recency = (r: JobRow): number => (r.jobId ?? Number.MAX_SAFE_INTEGER) + (r.live && r.jobId === null ? 1 : 0);
  return rows.sort((a, b) => statusOrder[a.status] - statusOrder[b.status] || recency(b) - recency(a));
}

/** How long until the next `jobs.list`: every second while anything runs, else now and then. */
export function pollDelay(rows: readonly JobRow[], busyMs = 1000, idleMs = 5000): number {
  return rows.some((r) => isActiveStatus(r.status)) ? busyMs : idleMs;
}

/** The share done, 0..1; null while the total is unknown. */
export function fraction(row: Pick<JobRow, 'done' | 'total'>): number | null {
  return row.total > 0 ? Math.min(1, Math.max(0, row.done / row.total)) : null;
}
