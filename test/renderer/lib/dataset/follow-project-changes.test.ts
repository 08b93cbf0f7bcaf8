import { afterEach, describe, expect, it } from 'vitest';
import type { ProjectSummary, RunSummary } from '../../../../src/shared/contract/project';
import { followProjectChanges, sameProject, type FollowingWorkspace } from '../../../../src/renderer/src/lib/dataset/follow-project-changes';
import { fakeEngine } from '../../helpers/fake-engine';

const P = '/projects/chest';
const run = (id: number, state: RunSummary['state'], results: number): RunSummary => ({ id, dataset: 'xray', method: 'grad-cam', modelFile: 'm.onnx', createdAt: 'now', results, jobId: id, state });
const summary = (runs: RunSummary[]): ProjectSummary => ({
  path: P,
  name: 'chest',
  schemaVersion: 1,
  demo: false,
  datasets: [{ name: 'xray', images: 4, labels: ['normal'], annotated: 0 }],
  runs,
});
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function setup(runs: () => RunSummary[]) {
  const engine = fakeEngine({ 'projects.open': () => summary(runs()) });
  const refreshed: string[] = [];
  const ws: FollowingWorkspace = {
    api: engine.api,
    project: summary([]),
    dataset: 'xray',
    runId: null,
    projectRevision: 0,
    jobs: { refresh: async (project) => void refreshed.push(project) },
  };
  return { engine, ws, refreshed };
}

let stops: Array<() => void> = [];
afterEach(() => {
  stops.forEach((s) => s());
  stops = [];
});

describe('following the engine’s project changes', () => {
  it('shows a running audit of the dataset on screen as columns, and refreshes the runs once per burst', async () => {
    let runs = [run(3, 'running', 1)];
    const { engine, ws, refreshed } = setup(() => runs);
    stops.push(followProjectChanges(ws, { delayMs: 5 }));
    engine.emit('project.changed', { project: P, what: 'audit', runId: 3, dataset: 'xray', running: true });
    engine.emit('project.changed', { project: P, what: 'audit', runId: 3, dataset: 'xray', running: true });
    expect(ws.runId).toBe(3);
    await wait(30);
    expect(ws.project?.runs).toEqual([run(3, 'running', 1)]);
    expect(ws.projectRevision).toBe(1);
    expect(engine.callsOf('projects.open')).toEqual([{ path: P, create: false }]);
    expect(refreshed).toEqual([P]);

    // The user hides the columns: the same run's later results do not show them again.
    ws.runId = null;
    runs = [run(3, 'done', 4)];
    engine.emit('project.changed', { project: P, what: 'audit', runId: 3, dataset: 'xray', running: false });
    await wait(30);
    expect(ws.runId).toBeNull();
    expect(ws.project?.runs[0]?.state).toBe('done');
    expect(ws.projectRevision).toBe(2);
  });

  it('leaves a run the user shows, and an audit of another dataset, as they are', async () => {
    const { engine, ws } = setup(() => [run(3, 'running', 1), run(4, 'running', 0)]);
    stops.push(followProjectChanges(ws, { delayMs: 5 }));
    engine.emit('project.changed', { project: P, what: 'audit', runId: 4, dataset: 'other', running: true });
    expect(ws.runId).toBeNull();
    ws.runId = 1;
    engine.emit('project.changed', { project: P, what: 'audit', runId: 3, dataset: 'xray', running: true });
    expect(ws.runId).toBe(1);
    await wait(30);
    expect(ws.projectRevision).toBe(1);
  });

  it('ignores changes of another project, and of a project after it was closed', async () => {
    const { engine, ws } = setup(() => []);
    stops.push(followProjectChanges(ws, { delayMs: 5 }));
    engine.emit('project.changed', { project: '/projects/other', what: 'dataset', dataset: 'xray' });
    await wait(30);
    expect(engine.callsOf('projects.open')).toEqual([]);
    ws.project = null;
    engine.emit('project.changed', { project: P, what: 'annotations' });
    await wait(30);
    expect(engine.callsOf('projects.open')).toEqual([]);
    expect(ws.projectRevision).toBe(0);
  });

  it('refreshes after an import (the new dataset is listed) and keeps what is shown when the project cannot be read', async () => {
    let fail = false;
    const engine = fakeEngine({
      'projects.open': () => {
        if (fail) throw new Error('locked');
        return { ...summary([]), datasets: [...summary([]).datasets, { name: 'new', images: 2, labels: [], annotated: 0 }] };
      },
    });
    const ws: FollowingWorkspace = { api: engine.api, project: summary([]), dataset: 'xray', runId: null, projectRevision: 0, jobs: { refresh: async () => undefined } };
    stops.push(followProjectChanges(ws, { delayMs: 5 }));
    engine.emit('project.changed', { project: `${P}/`, what: 'dataset', dataset: 'new' });
    await wait(30);
    expect(ws.project?.datasets.map((d) => d.name)).toEqual(['xray', 'new']);
    expect(ws.dataset).toBe('xray');
    const before = ws.project;
    fail = true;
    engine.emit('project.changed', { project: P, what: 'dataset', dataset: 'new' });
    await wait(30);
    expect(ws.project).toBe(before);
    expect(ws.projectRevision).toBe(1);
  });

  it('stops following when asked', async () => {
    const { engine, ws } = setup(() => []);
    const stop = followProjectChanges(ws, { delayMs: 5 });
    stop();
    engine.emit('project.changed', { project: P, what: 'audit', runId: 3, dataset: 'xray' });
    await wait(30);
    expect(ws.runId).toBeNull();
    expect(engine.callsOf('projects.open')).toEqual([]);
  });

  it('takes a trailing separator as the same folder', () => {
    expect(sameProject('/a/b', '/a/b/')).toBe(true);
    expect(sameProject('C:\\p\\', 'C:\\p')).toBe(true);
    expect(sameProject('/a/b', '/a/bc')).toBe(false);
  });
});
