import { describe, expect, it } from 'vitest';
import type { AuditResult } from '../../../../src/shared/contract/audit';
import {
  emptyJobsState,
  fraction,
  jobRows,
  keptFinished,
  listedRowKey,
  liveRowKey,
  pollDelay,
  reduceJobs,
  sameAudit,
  type AuditParamsIn,
  type EvaluationParamsIn,
  type EvaluationResult,
  type JobEvent,
  type JobInfoRow,
  type JobsState,
} from '../../../../src/renderer/src/lib/jobs/job-state';

const P = '/projects/chest';
const params: AuditParamsIn = { project: P, dataset: 'xray', modelId: 'm1', method: 'gradcam' };

const info = (over: Partial<JobInfoRow> & { id: number }): JobInfoRow => ({
  runId: over.id * 10,
  method: 'gradcam',
  state: 'running',
  done: 0,
  total: 100,
  error: null,
  updatedAt: '2025-01-01T00:00:00Z',
  ...over,
});

const result = (over: Partial<AuditResult> = {}): AuditResult => ({
  runId: 70,
  jobId: 7,
  state: 'done',
  total: 100,
  resumed: 0,
  computed: 100,
  failures: [],
  perClass: [],
  metrics: [],
  flags: [],
  imagesPerMinute: 120,
  storage: { bytesPerImage: 1000, msPerImage: 1, computeMsPerImage: 20 },
  ...over,
});

const run = (...events: JobEvent[]): JobsState => events.reduce(reduceJobs, emptyJobsState);
const start = (key = 'a', now = 0): JobEvent => ({ type: 'start', key, label: 'Grad-CAM on xray', params, now });
const listed = (jobs: JobInfoRow[], now = 0): JobEvent => ({ type: 'listed', project: P, jobs, now });

describe('a live audit', () => {
  it('is queued until its first progress, then running with images per second and ETA from its own progress', () => {
    let s = run(start('a', 0));
    expect(jobRows(s, P)).toMatchObject([{ key: liveRowKey('a'), status: 'queued', done: 0, total: 0, canCancel: true, canPause: false }]);
    s = reduceJobs(s, { type: 'progress', key: 'a', done: 10, total: 100, ratePerSecond: 99, etaSeconds: 1, now: 1_000 });
    // One sample: the engine's figures.
    expect(jobRows(s, P)[0]).toMatchObject({ status: 'running', done: 10, total: 100, ratePerSecond: 99 });
    s = reduceJobs(s, { type: 'progress', key: 'a', done: 30, total: 100, ratePerSecond: 99, etaSeconds: 1, now: 11_000 });
    // Two samples 10 s apart, 20 images: 2 images/s, 70 left: 35 s.
    expect(jobRows(s, P)[0]).toMatchObject({ status: 'running', done: 30, ratePerSecond: 2, etaSeconds: 35 });
    expect(fraction(jobRows(s, P)[0]!)).toBeCloseTo(0.3);
  });

  it('learns its job id from jobs.list: a running job of its method, not one running before it started', () => {
    let s = run(listed([info({ id: 3, state: 'running', total: 100 })]), start('a'));
    s = reduceJobs(s, listed([info({ id: 3, state: 'running' }), info({ id: 7, state: 'running', done: 4 })]));
    const row = jobRows(s, P).find((r) => r.live)!;
    expect(row).toMatchObject({ jobId: 7, runId: 70, status: 'running', done: 4, canPause: true });
    // The job is shown once: as the live row.
    expect(jobRows(s, P).filter((r) => r.jobId === 7)).toHaveLength(1);
    expect(jobRows(s, P).find((r) => r.jobId === 3)?.live).toBe(false);
  });

  it('does not take a job of another method or another size', () => {
    let s = run(start('a'), { type: 'progress', key: 'a', done: 1, total: 50, now: 0 });
    s = reduceJobs(s, listed([info({ id: 8, method: 'ig' }), info({ id: 9, total: 100 })]));
    expect(jobRows(s, P).find((r) => r.live)?.jobId).toBeNull();
  });

  it('finishes with its result: counts, run, View audit', () => {
    const s = run(start('a'), listed([info({ id: 7 })]), { type: 'settled', key: 'a', result: result({ resumed: 40, computed: 58, failures: [{ path: 'x.png', error: 'gone' }] }) });
    const row = jobRows(s, P)[0]!;
    expect(row).toMatchObject({ status: 'done', done: 98, total: 100, runId: 70, jobId: 7, canView: true, canResume: false, canPause: false, ratePerSecond: null, etaSeconds: null });
    expect(row.failures).toHaveLength(1);
    expect(row.result?.runId).toBe(70);
  });

  it('pause: pausing, then paused when the request ends cancelled; Resume offered', () => {
    let s = run(start('a'), listed([info({ id: 7 })]));
    s = reduceJobs(s, { type: 'stopping', rowKey: liveRowKey('a'), action: 'pause' });
    expect(jobRows(s, P)[0]).toMatchObject({ status: 'pausing', canPause: false, canCancel: false });
    s = reduceJobs(s, { type: 'failed', key: 'a', error: { code: 'cancelled', message: 'The audit was paused after 40 of 100 images' } });
    expect(jobRows(s, P)[0]).toMatchObject({ status: 'paused', error: null, canResume: true });
  });

  it('pause reported as a result with state cancelled is still paused', () => {
    let s = run(start('a'), listed([info({ id: 7 })]), { type: 'stopping', rowKey: liveRowKey('a'), action: 'pause' });
    s = reduceJobs(s, { type: 'settled', key: 'a', result: result({ state: 'cancelled', computed: 40 }) });
    expect(jobRows(s, P)[0]).toMatchObject({ status: 'paused', canResume: true, canView: false });
  });

  it('cancel: cancelling, then cancelled; a cancelled job the engine records as paused shows paused', () => {
    let s = run(start('a'), listed([info({ id: 7 })]), { type: 'stopping', rowKey: liveRowKey('a'), action: 'cancel' });
    expect(jobRows(s, P)[0]?.status).toBe('cancelling');
    s = reduceJobs(s, { type: 'failed', key: 'a', error: { code: 'cancelled', message: 'cancelled' } });
    expect(jobRows(s, P)[0]?.status).toBe('cancelled');
    s = reduceJobs(s, listed([info({ id: 7, state: 'paused', done: 40 })]));
    expect(jobRows(s, P)[0]?.status).toBe('paused');
  });

  it('fails with its cause', () => {
    const s = run(start('a'), { type: 'failed', key: 'a', error: { code: 'invalid-model', message: 'Not an ONNX file', hint: 'Pick another' } });
    expect(jobRows(s, P)[0]).toMatchObject({ status: 'failed', error: { code: 'invalid-model', message: 'Not an ONNX file', hint: 'Pick another' }, canResume: true });
  });

  it('a refused stop goes back to running with a notice', () => {
    let s = run(start('a'), listed([info({ id: 7 })]), { type: 'progress', key: 'a', done: 3, total: 100, now: 0 });
    s = reduceJobs(s, { type: 'stopping', rowKey: liveRowKey('a'), action: 'pause' });
    s = reduceJobs(s, { type: 'stop-refused', rowKey: liveRowKey('a'), notice: { kind: 'elsewhere', action: 'pause' } });
    expect(jobRows(s, P)[0]).toMatchObject({ status: 'running', notice: { kind: 'elsewhere', action: 'pause' }, canPause: true });
  });

  it('resuming keeps its job and run and clears the error', () => {
    let s = run(start('a'), listed([info({ id: 7 })]), { type: 'failed', key: 'a', error: { code: 'inference-failed', message: 'boom' } });
    // A resumed job's own id is not "someone else's running job".
    expect(reduceJobs(s, start('a', 5)).live[0]?.busyAtStart).toEqual([]);
    s = reduceJobs(s, listed([info({ id: 7, state: 'failed', error: 'boom' })]));
    s = reduceJobs(s, start('a', 5));
    expect(jobRows(s, P)[0]).toMatchObject({ status: 'queued', jobId: 7, error: null });
    s = reduceJobs(s, listed([info({ id: 7, state: 'running', done: 41 })]));
    expect(jobRows(s, P)[0]).toMatchObject({ status: 'running', jobId: 7, done: 41 });
    expect(jobRows(s, P)).toHaveLength(1);
  });

  it('after Resume, counts only the images computed since, and shows no rate or ETA until one means something', () => {
    let s = run(start('a', 0));
    // The resumed job's first report already counts 60 images done before the pause; the engine sent no rate yet.
    s = reduceJobs(s, { type: 'progress', key: 'a', done: 60, total: 100, now: 1_000 });
    expect(jobRows(s, P)[0]).toMatchObject({ done: 60, ratePerSecond: null, etaSeconds: null });
    // 100 ms later, 2 more: too soon to say (not "20 images/s · about 2 s left").
    s = reduceJobs(s, { type: 'progress', key: 'a', done: 62, total: 100, now: 1_100 });
    expect(jobRows(s, P)[0]).toMatchObject({ done: 62, ratePerSecond: null, etaSeconds: null });
    // 4 s after the first report, 8 more: 2 images/s, 32 left: 16 s.
    s = reduceJobs(s, { type: 'progress', key: 'a', done: 68, total: 100, now: 5_000 });
    expect(jobRows(s, P)[0]).toMatchObject({ done: 68, ratePerSecond: 2, etaSeconds: 16 });
  });

  it('keeps a bounded number of finished audits', () => {
    let s = emptyJobsState;
    for (let i = 0; i < keptFinished + 5; i++) {
      s = reduceJobs(s, start(`k${i}`, i));
      s = reduceJobs(s, { type: 'settled', key: `k${i}`, result: result({ jobId: 100 + i, runId: 200 + i }) });
    }
    expect(s.live).toHaveLength(keptFinished);
    expect(s.live[0]?.key).toBe('k5');
  });

  it('dismiss removes a finished live row but never a running one', () => {
    let s = run(start('a'), start('b'), { type: 'settled', key: 'a', result: result() });
    s = reduceJobs(s, { type: 'dismiss', rowKey: liveRowKey('a') });
    s = reduceJobs(s, { type: 'dismiss', rowKey: liveRowKey('b') });
    expect(s.live.map((j) => j.key)).toEqual(['b']);
  });
});

describe('jobs of the project (jobs.list)', () => {
  it('shows jobs started elsewhere with done/total and a rate measured between polls', () => {
    let s = run(listed([info({ id: 4, done: 10 })], 0));
    s = reduceJobs(s, listed([info({ id: 4, done: 30 })], 4_000));
    const row = jobRows(s, P)[0]!;
    expect(row).toMatchObject({ key: listedRowKey(P, 4), live: false, label: null, status: 'running', done: 30, total: 100, ratePerSecond: 5, etaSeconds: 14, canPause: true, canResume: false });
  });

  it('marks interrupted jobs and keeps the cause as a note', () => {
    const s = run(listed([info({ id: 4, state: 'paused', error: 'interrupted: the process running it stopped; run it again to resume' })]));
    expect(jobRows(s, P)[0]).toMatchObject({ status: 'interrupted', note: expect.stringMatching(/^interrupted/), canResume: false, canPause: false });
  });

  it('a failed job carries its error; a done one its note and View audit', () => {
    const s = run(listed([info({ id: 4, state: 'failed', error: 'disk full' }), info({ id: 5, state: 'done', done: 100, error: '2 image(s) could not be read' })]));
    const rows = jobRows(s, P);
    expect(rows.find((r) => r.jobId === 4)).toMatchObject({ status: 'failed', error: { message: 'disk full' } });
    expect(rows.find((r) => r.jobId === 5)).toMatchObject({ status: 'done', note: '2 image(s) could not be read', canView: true });
  });

  it('a stop asked of a listed job shows until the job stops running', () => {
    let s = run(listed([info({ id: 4 })]), { type: 'stopping', rowKey: listedRowKey(P, 4), action: 'cancel' });
    expect(jobRows(s, P)[0]?.status).toBe('cancelling');
    s = reduceJobs(s, listed([info({ id: 4 })]));
    expect(jobRows(s, P)[0]?.status).toBe('cancelling');
    s = reduceJobs(s, listed([info({ id: 4, state: 'cancelled' })]));
    expect(jobRows(s, P)[0]?.status).toBe('cancelled');
    expect(s.stopping).toEqual({});
  });

  it('orders running, queued, paused, then finished, newest first', () => {
    const s = run(
      listed([info({ id: 1, state: 'done' }), info({ id: 2, state: 'paused' }), info({ id: 3, state: 'running' }), info({ id: 4, state: 'done' }), info({ id: 5, state: 'queued' })]),
    );
    expect(jobRows(s, P).map((r) => r.jobId)).toEqual([3, 5, 2, 4, 1]);
  });

  it('keeps projects apart', () => {
    const s = run(listed([info({ id: 1 })]), { type: 'listed', project: '/other', jobs: [info({ id: 9 })], now: 0 });
    expect(jobRows(s, P).map((r) => r.jobId)).toEqual([1]);
    expect(jobRows(s, '/other').map((r) => r.jobId)).toEqual([9]);
  });
});

describe('helpers', () => {
  it('polls every second while anything runs, else every few seconds', () => {
    const s = run(listed([info({ id: 1, state: 'done' })]));
    expect(pollDelay(jobRows(s, P))).toBe(5000);
    expect(pollDelay(jobRows(reduceJobs(s, start('a')), P))).toBe(1000);
  });

  it('the same audit is the same parameters in any key order', () => {
    expect(sameAudit(params, { method: 'gradcam', modelId: 'm1', dataset: 'xray', project: P })).toBe(true);
    expect(sameAudit({ ...params, params: { a: 1, b: 2 } }, { ...params, params: { b: 2, a: 1 } })).toBe(true);
    expect(sameAudit(params, { ...params, limit: 10 })).toBe(false);
    expect(sameAudit({ ...params, paths: ['b.png', 'a.png'] }, { ...params, paths: ['a.png', 'b.png'] })).toBe(true);
    expect(sameAudit({ ...params, paths: ['a.png'] }, { ...params, paths: ['a.png', 'b.png'] })).toBe(false);
  });

  it('fraction is unknown without a total', () => {
    expect(fraction({ done: 0, total: 0 })).toBeNull();
    expect(fraction({ done: 5, total: 4 })).toBe(1);
  });
});

describe('the engine names the job in its progress', () => {
  it('binds the live audit to that job at once, so it can be paused before any poll', () => {
    let state: JobsState = reduceJobs(emptyJobsState, start('a', 0));
    expect(jobRows(state, P)[0]!.canPause).toBe(false);
    state = reduceJobs(state, { type: 'progress', key: 'a', done: 0, total: 100, jobId: 12, now: 10 });
    const [row] = jobRows(state, P);
    expect(row!.jobId).toBe(12);
    expect(row!.canPause).toBe(true);
  });
});

describe('a comparison of methods (one audit job per method)', () => {
  const compare: EvaluationParamsIn = { project: P, dataset: 'xray', modelId: 'm1', methods: ['gradcam', 'ig'], params: {}, metrics: [{ metric: 'deletion', params: {} }] };
  const begin: JobEvent = { type: 'start', key: 'c', label: 'Compare', params: compare, now: 0 };
  const evaluation: EvaluationResult = {
    folder: '/data/xray',
    project: P,
    dataset: 'xray',
    images: 50,
    summary: [],
    ranking: [],
    failures: [],
    runs: [
      { method: 'gradcam', runId: 70, jobId: 7, resumed: 0, computed: 50 },
      { method: 'ig', runId: 80, jobId: 8, resumed: 0, computed: 50 },
    ],
  };

  it('follows the job of the method running now, so Pause reaches it', () => {
    let s = run(begin, { type: 'progress', key: 'c', done: 10, total: 100, jobId: 7, now: 0 });
    expect(jobRows(s, P)[0]).toMatchObject({ method: 'gradcam, ig', jobId: 7, canPause: true });
    s = reduceJobs(s, { type: 'progress', key: 'c', done: 60, total: 100, jobId: 8, now: 1000 });
    expect(jobRows(s, P)[0]).toMatchObject({ jobId: 8, done: 60 });
    // Before any progress, jobs.list binds it to a running job of either of its methods.
    const t = reduceJobs(run(begin), listed([info({ id: 9, method: 'ig' })]));
    expect(jobRows(t, P).find((r) => r.live)?.jobId).toBe(9);
  });

  it('paused, it offers Resume; finished, it keeps the ranking and leaves each method’s job to the engine’s list', () => {
    let s = run(begin, { type: 'progress', key: 'c', done: 10, total: 100, jobId: 7, now: 0 }, { type: 'stopping', rowKey: liveRowKey('c'), action: 'pause' });
    s = reduceJobs(s, { type: 'failed', key: 'c', error: { code: 'cancelled', message: 'The audit was paused after 10 of 50 images' } });
    expect(jobRows(s, P)[0]).toMatchObject({ status: 'paused', canResume: true });
    s = reduceJobs(s, begin);
    s = reduceJobs(s, { type: 'evaluated', key: 'c', result: evaluation });
    s = reduceJobs(s, listed([info({ id: 7, state: 'done', total: 50, done: 50 }), info({ id: 8, method: 'ig', state: 'done', total: 50, done: 50 })]));
    const rows = jobRows(s, P);
    expect(rows.find((r) => r.live)).toMatchObject({ status: 'done', jobId: null, canView: false, canResume: false });
    expect(rows.filter((r) => !r.live).map((r) => [r.jobId, r.canView])).toEqual([
      [8, true],
      [7, true],
    ]);
    expect(s.live[0]!.evaluation).toBe(evaluation);
  });

  it('the same comparison is the same parameters; another method list is another', () => {
    expect(sameAudit(compare, { ...compare })).toBe(true);
    expect(sameAudit(compare, { ...compare, methods: ['gradcam'] })).toBe(false);
    expect(sameAudit(compare, params)).toBe(false);
  });
});
