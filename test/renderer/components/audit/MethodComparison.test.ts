// @vitest-environment jsdom
// "Compare methods on a dataset" on the audit screen, on a real engine and project.
import { join, resolve } from 'node:path';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { metricValue } from '../../../../src/renderer/src/lib/dataset/query';
import JobsPanel from '../../../../src/renderer/src/components/jobs/JobsPanel.svelte';
import AuditScreen from '../../../../src/renderer/src/screens/AuditScreen.svelte';
import { Workspace } from '../../../../src/renderer/src/lib/state/workspace.svelte';
import { tempDir } from '../../../helpers/tiny-models';
import { engineProcess } from '../../helpers/engine-process';

describe('comparing methods on the open project’s dataset', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  const project = join(tempDir(), 'study');

  beforeAll(async () => {
    ({ api, close } = engineProcess({ LUMEN_HOME: tempDir('lumen-home-'), LUMEN_CACHE_DIR: tempDir('lumen-cache-') }));
    // As the demo project: the bundled samples as a dataset.
    await api.call('projects.open', { path: project, create: true });
    await api.call('datasets.import', { project, dataset: 'samples', folder: resolve('resources/samples') });
  }, 60_000);
  afterAll(() => close());

  it('runs two methods as jobs, ranks them with each metric’s mean and interval, and opens a method’s audit', async () => {
    const ws = new Workspace(api);
    await ws.init();
    await ws.openProject(project);
    ws.screen = 'audit';
    render(AuditScreen, { props: { ws } });

    const form = screen.getByRole('form', { name: 'Compare methods on a dataset' });
    const start = within(form).getByRole('button', { name: /Compare|Pick at least two/ }) as HTMLButtonElement;
    expect(start.textContent?.trim()).toBe('Pick at least two methods');
    expect(start.disabled).toBe(true);
    await fireEvent.click(within(form).getByRole('checkbox', { name: 'Grad-CAM' }));
    await fireEvent.click(within(form).getByRole('checkbox', { name: /^Gradient \(saliency\)/ }));
    // Two methods but no metric yet: still off, saying why.
    expect(start.disabled).toBe(true);
    expect(start.title).toBe('Pick at least one metric.');
    await fireEvent.click(within(form).getByRole('checkbox', { name: 'Deletion' }));
    await fireEvent.input(within(form).getByLabelText('At most (images)'), { target: { value: '2' } });
    expect(start.textContent?.trim()).toBe('Compare 2 methods on 2 images');
    await fireEvent.click(start);

    // It is a job of the runner, as an audit is: the Jobs panel opens and lists it.
    expect(ws.jobsOpen).toBe(true);
    // The methods in the catalogue's order, whatever order they were ticked in.
    expect(ws.jobs.rows(project)[0]!.label).toBe('Compare Gradient (saliency), Grad-CAM · samples');

    const table = await screen.findByRole('table', { name: 'Ranking of methods' }, { timeout: 60_000 });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.querySelector('th')!.textContent!.trim()).sort()).toEqual(['Gradient (saliency)', 'Grad-CAM'].sort());
    // The metric's name and direction from the shared meanings, its mean and interval per method.
    expect(within(table).getByRole('columnheader', { name: /Deletion/ }).textContent!.replace(/\s+/g, ' ').trim()).toBe('Deletion ↓ (lower is better)');
    const evaluation = ws.jobs.state.live.at(-1)!.evaluation!;
    expect(evaluation.summary.map((s) => [s.method, s.metric, s.n])).toEqual([
      ['gradient', 'deletion', 2],
      ['grad-cam', 'deletion', 2],
    ]);
    // Best first: lower deletion wins.
    const [best, worst] = [...evaluation.summary].sort((a, b) => a.mean - b.mean);
    expect(evaluation.ranking.map((r) => r.method)).toEqual([best!.method, worst!.method]);
    expect(rows[0]!.querySelector('th')!.textContent!.trim()).toBe(ws.methods.find((m) => m.id === best!.method)!.label);
    for (const s of evaluation.summary) {
      const row = within(table).getByRole('row', { name: ws.methods.find((m) => m.id === s.method)!.label });
      expect(s.ciLow).toBeLessThanOrEqual(s.mean);
      expect(s.ciHigh).toBeGreaterThanOrEqual(s.mean);
      expect(row.textContent).toContain(`${metricValue(s.mean)} [${metricValue(s.ciLow)}, ${metricValue(s.ciHigh)}]`);
    }
    // The runs are the project's audits: the same numbers as the engine keeps for them.
    const gradCamRun = evaluation.runs.find((r) => r.method === 'grad-cam')!;
    const stored = await api.call('audit.summary', { project, runId: gradCamRun.runId });
    expect(stored.metrics.find((m) => m.metric === 'deletion')!.mean).toBeCloseTo(evaluation.summary.find((s) => s.method === 'grad-cam')!.mean, 10);

    // Each method's audit opens below, and the run picker lists the new runs.
    await fireEvent.click(within(table).getByRole('button', { name: 'Open the audit of Grad-CAM' }));
    expect(ws.audit?.runId).toBe(gradCamRun.runId);
    await waitFor(() => expect(ws.project!.runs.map((r) => r.id)).toContain(gradCamRun.runId));
    await screen.findByText(`Audit of run ${gradCamRun.runId}`);
  }, 120_000);

  it('paused from the Jobs panel, it stops with what is done kept; resumed, it finishes without computing that again', async () => {
    const ws = new Workspace(api);
    await ws.init();
    await ws.openProject(project);
    render(AuditScreen, { props: { ws } });
    render(JobsPanel, { props: { api, project, runner: ws.jobs } });

    const form = screen.getAllByRole('form', { name: 'Compare methods on a dataset' }).at(-1)!;
    await fireEvent.click(within(form).getByRole('checkbox', { name: 'Integrated Gradients' }));
    await fireEvent.click(within(form).getByRole('checkbox', { name: 'Grad-CAM' }));
    await fireEvent.click(within(form).getByRole('checkbox', { name: 'Insertion' }));
    await fireEvent.input(within(form).getByLabelText('At most (images)'), { target: { value: '3' } });
    await fireEvent.click(within(form).getByRole('button', { name: 'Compare 2 methods on 3 images' }));

    const job = await screen.findByRole('listitem', { name: 'Compare Integrated Gradients, Grad-CAM · samples' });
    await fireEvent.click(await within(job).findByRole('button', { name: 'Pause' }, { timeout: 30_000 }));
    const resume = await within(job).findByRole('button', { name: 'Resume' }, { timeout: 30_000 });
    await screen.findByText('The comparison is paused: resume it in Jobs; what is done is kept.');
    const [paused] = (await api.call('jobs.list', { project })).filter((j) => j.method === 'integrated-gradients');
    expect(paused).toMatchObject({ state: 'paused' });
    expect(paused!.done).toBeLessThan(3);

    await fireEvent.click(resume);
    await screen.findAllByRole('table', { name: 'Ranking of methods' }, { timeout: 90_000 });
    const evaluation = ws.jobs.state.live.at(-1)!.evaluation!;
    expect(evaluation.runs.map((r) => [r.method, r.resumed, r.resumed + r.computed])).toEqual([
      ['integrated-gradients', paused!.done, 3],
      ['grad-cam', 0, 3],
    ]);
    expect(evaluation.ranking.map((r) => r.method).sort()).toEqual(['grad-cam', 'integrated-gradients']);
  }, 150_000);
});
