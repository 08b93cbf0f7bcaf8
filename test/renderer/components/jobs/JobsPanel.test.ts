// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { AuditResult } from '../../../../src/shared/contract/audit';
import { LumenError } from '../../../../src/shared/errors';
import JobsPanel from '../../../../src/renderer/src/components/jobs/JobsPanel.svelte';
import { JobRunner } from '../../../../src/renderer/src/lib/jobs/job-runner.svelte';
import type { JobInfoRow } from '../../../../src/renderer/src/lib/jobs/job-state';
import { deferred, fakeEngine, untilAborted, type FakeContext } from '../../helpers/fake-engine';

const P = '/projects/chest';
const params = { project: P, dataset: 'xray', modelId: 'm1', method: 'gradcam' };

const job = (over: Partial<JobInfoRow> & { id: number }): JobInfoRow => ({
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
  resumed: 40,
  computed: 60,
  failures: [],
  perClass: [],
  metrics: [],
  flags: [],
  imagesPerMinute: 120,
  storage: { bytesPerImage: 1000, msPerImage: 1, computeMsPerImage: 20 },
  ...over,
});

describe('JobsPanel', () => {
  it('runs an audit: progress, pause, resume, view', async () => {
    let jobs: JobInfoRow[] = [];
    const audits: Array<{ context: FakeContext; done: ReturnType<typeof deferred<AuditResult>> }> = [];
    const engine = fakeEngine({
      'jobs.list': () => jobs,
      audit: (_p, context) => {
        const done = deferred<AuditResult>();
        audits.push({ context, done });
        return Promise.race([done.promise, untilAborted(context.signal)]);
      },
      'jobs.pause': ({ jobId }) => {
        jobs = [job({ id: jobId, state: 'paused', done: 40 })];
        audits.at(-1)!.done.reject(new LumenError('cancelled', 'The audit was paused after 40 of 100 images; run it again to resume.'));
        return { signalled: true };
      },
    });
    const runner = new JobRunner(engine.api);
    const onview = vi.fn();
    render(JobsPanel, { props: { api: engine.api, project: P, runner, onview } });
    expect(await screen.findByText(/No jobs yet/)).toBeTruthy();

    const finished = runner.start(params, 'Grad-CAM on xray');
    const item = await screen.findByRole('listitem', { name: 'Grad-CAM on xray' });
    await waitFor(() => expect(within(item).getByText('Queued')).toBeTruthy());
    expect(within(item).getByRole('button', { name: 'Cancel' })).toBeTruthy();

    // The engine runs it: progress arrives, and the job appears in jobs.list.
    await waitFor(() => expect(audits).toHaveLength(1));
    jobs = [job({ id: 7, done: 10 })];
    audits[0]!.context.progress(10, 100, { ratePerSecond: 2, etaSeconds: 45 });
    const bar = await within(item).findByRole('progressbar', { name: 'Progress of Grad-CAM on xray' });
    await waitFor(() => expect(bar.getAttribute('aria-valuenow')).toBe('10'));
    expect(bar.getAttribute('aria-valuemax')).toBe('100');
    expect(within(item).getByText('10%')).toBeTruthy();
    expect(within(item).getByText('10 of 100 images')).toBeTruthy();
    expect(within(item).getByText('2.0 images/s')).toBeTruthy();
    expect(within(item).getByText('about 45 s left')).toBeTruthy();
    expect(within(item).getByText('Running')).toBeTruthy();

    // Pause needs the job id, which the next poll of jobs.list gives.
    const pause = await within(item).findByRole('button', { name: 'Pause' }, { timeout: 3000 });
    await fireEvent.click(pause);
    expect(engine.callsOf('jobs.pause')).toEqual([{ project: P, jobId: 7 }]);
    await waitFor(() => expect(within(item).getByText('Paused')).toBeTruthy());
    expect(await finished).toBeNull();

    // Resume runs the same audit again.
    await fireEvent.click(within(item).getByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(audits).toHaveLength(2));
    const sent = { ...params, params: {}, metrics: [], overwrite: false }; // the contract fills in its defaults
    expect(engine.callsOf('audit')).toEqual([sent, sent]);
    jobs = [job({ id: 7, state: 'done', done: 100 })];
    audits[1]!.done.resolve(result());
    await fireEvent.click(await within(item).findByRole('button', { name: 'View audit' }));
    expect(onview).toHaveBeenCalledWith({ runId: 70, jobId: 7, result: expect.objectContaining({ runId: 70, computed: 60 }) });
    expect(within(item).getByText('Finished')).toBeTruthy();
    // One row for the job: the live one.
    expect(screen.getAllByRole('listitem')).toHaveLength(1);
  });

  it('shows jobs started elsewhere, and says so when they cannot be stopped from here', async () => {
    const engine = fakeEngine({
      'jobs.list': () => [
        job({ id: 3, done: 25 }),
        job({ id: 2, state: 'paused', done: 5, error: 'interrupted: the process running it stopped; run it again to resume' }),
        job({ id: 1, state: 'failed', error: 'disk full' }),
      ],
      'jobs.cancel': () => ({ signalled: false }),
    });
    render(JobsPanel, { props: { api: engine.api, project: P } });
    const running = await screen.findByRole('listitem', { name: 'Job 3 · gradcam' });
    expect(within(running).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('25');
    expect(within(running).getByText('25%')).toBeTruthy();
    await fireEvent.click(within(running).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(within(running).getByRole('status').textContent).toMatch(/not running in this engine/));
    expect(engine.callsOf('jobs.cancel')).toEqual([{ project: P, jobId: 3 }]);

    const interrupted = screen.getByRole('listitem', { name: 'Job 2 · gradcam' });
    expect(within(interrupted).getByText('Interrupted')).toBeTruthy();
    expect(within(interrupted).getByText(/run the same audit again/)).toBeTruthy();
    expect(within(interrupted).queryByRole('button', { name: 'Resume' })).toBeNull();

    const failed = screen.getByRole('listitem', { name: 'Job 1 · gradcam' });
    expect(within(failed).getByRole('alert').textContent).toContain('disk full');
  });

  it('shows why an audit failed, with the hint', async () => {
    const engine = fakeEngine({
      'jobs.list': () => [],
      audit: () => {
        throw new LumenError('not-found', 'There is no dataset "xray".', 'Import it first (lumen import).');
      },
    });
    const runner = new JobRunner(engine.api);
    render(JobsPanel, { props: { api: engine.api, project: P, runner } });
    await runner.start(params, 'Grad-CAM on xray');
    const item = await screen.findByRole('listitem', { name: 'Grad-CAM on xray' });
    const alert = within(item).getByRole('alert');
    expect(alert.textContent).toContain('There is no dataset "xray".');
    expect(alert.textContent).toContain('Import it first');
    expect(within(item).getByText('Failed')).toBeTruthy();
    expect(within(item).getByRole('button', { name: 'Resume' })).toBeTruthy();
  });

  it('cancels an audit still waiting in the queue by withdrawing its request', async () => {
    const engine = fakeEngine({ 'jobs.list': () => [], audit: (_p, c) => untilAborted(c.signal) });
    const runner = new JobRunner(engine.api);
    render(JobsPanel, { props: { api: engine.api, project: P, runner } });
    const finished = runner.start(params, 'Grad-CAM on xray');
    const item = await screen.findByRole('listitem', { name: 'Grad-CAM on xray' });
    await fireEvent.click(within(item).getByRole('button', { name: 'Cancel' }));
    expect(await finished).toBeNull();
    await waitFor(() => expect(within(item).getByText('Cancelled')).toBeTruthy());
    expect(engine.callsOf('jobs.cancel')).toEqual([]);
  });
});
