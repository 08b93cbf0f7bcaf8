import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProjectChanged } from '../../../../src/shared/contract/project-changed';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { auditChangeFeed, notifyProjectChanged, runOfJob } from '../../../../src/main/engine/project/project-changes';
import { tempDir } from '../../../helpers/tiny-models';

function recorder(): { events: ProjectChanged[]; emit: (event: 'project.changed', payload: ProjectChanged) => void } {
  const events: ProjectChanged[] = [];
  return { events, emit: (event, payload) => (expect(event).toBe('project.changed'), events.push(payload)) };
}

describe('project change events', () => {
  it('names the project, what changed and the dataset', () => {
    const { events, emit } = recorder();
    notifyProjectChanged(emit, { project: '/p', what: 'dataset', dataset: 'xray' });
    expect(events).toEqual([{ project: '/p', what: 'dataset', dataset: 'xray' }]);
  });

  it('finds the run of an audit job in the project, and nothing for an unknown job', async () => {
    const path = join(tempDir('lumen-changes-'), 'project');
    const store = ProjectStore.open(path, { create: true });
    try {
      const db = store.db;
      db.prepare("INSERT INTO models (file, sha256, card) VALUES ('m.onnx', 'abc', '{}')").run();
      const run = db.prepare("INSERT INTO runs (model_id, method, params, lumen_version, created_at) VALUES (1, 'grad-cam', '{}', 'test', 'now')");
      run.run();
      const runId = Number(run.run().lastInsertRowid);
      const jobId = Number(db.prepare("INSERT INTO jobs (run_id, state, created_at, updated_at) VALUES (?, 'running', 'now', 'now')").run(runId).lastInsertRowid);
      expect(runId).toBe(2);
      await expect(runOfJob(path, jobId)).resolves.toBe(2);
      await expect(runOfJob(path, jobId + 1)).resolves.toBeUndefined();
    } finally {
      store.close();
    }
  });
});

describe('an audit followed by project change events', () => {
  let clock = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    clock = 0;
  });
  afterEach(() => vi.useRealTimers());

  const audit = { project: '/p', dataset: 'xray' };
  const options = (runs: Record<number, number>) => ({ intervalMs: 1000, now: () => clock, runOfJob: async (_p: string, jobId: number) => runs[jobId] });

  it('sends one event once the run is known, then at most one per interval, the last of a burst late, and one at the end', async () => {
    const { events, emit } = recorder();
    const feed = auditChangeFeed(emit, audit, options({ 7: 3 }));
    const progress: number[] = [];
    const onProgress = feed.onProgress((done) => progress.push(done));
    let finish!: (r: { runId: number }) => void;
    const outcome = feed.follow(new Promise<{ runId: number }>((resolve) => (finish = resolve)));

    onProgress(0, 10, 7);
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toEqual([{ project: '/p', what: 'audit', dataset: 'xray', running: true, runId: 3 }]);

    // Three results within the interval: one event, when the interval is over.
    clock = 100;
    onProgress(1, 10, 7);
    clock = 200;
    onProgress(2, 10, 7);
    clock = 300;
    onProgress(3, 10, 7);
    expect(events).toHaveLength(1);
    clock = 1000;
    await vi.advanceTimersByTimeAsync(899);
    expect(events).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(events).toHaveLength(2);
    expect(events[1]).toEqual({ project: '/p', what: 'audit', dataset: 'xray', running: true, runId: 3 });

    // A result after a quiet interval goes out at once.
    clock = 2500;
    onProgress(4, 10, 7);
    expect(events).toHaveLength(3);

    // A pending one is replaced by the end's.
    clock = 2600;
    onProgress(5, 10, 7);
    finish({ runId: 3 });
    await expect(outcome).resolves.toEqual({ runId: 3 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(events).toHaveLength(4);
    expect(events[3]).toEqual({ project: '/p', what: 'audit', dataset: 'xray', running: false, runId: 3 });
    // Every report still reaches the request's own progress.
    expect(progress).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('ends with an event when the audit fails or is paused, and passes the failure on', async () => {
    const { events, emit } = recorder();
    const feed = auditChangeFeed(emit, audit, options({ 1: 9 }));
    feed.onProgress(() => undefined)(0, 4, 1);
    await vi.advanceTimersByTimeAsync(0);
    await expect(feed.follow(Promise.reject(new Error('paused')))).rejects.toThrow('paused');
    expect(events.map((e) => [e.running, e.runId])).toEqual([
      [true, 9],
      [false, 9],
    ]);
  });

  it('names no run for a shard (its results are in the shard project) and still follows it', async () => {
    const { events, emit } = recorder();
    const lookups: number[] = [];
    const feed = auditChangeFeed(emit, { ...audit, shard: '1/4' }, { ...options({}), runOfJob: async (_p, jobId) => (lookups.push(jobId), 5) });
    feed.onProgress(() => undefined)(0, 4, 2);
    await feed.follow(Promise.resolve({ runId: 5 }));
    expect(lookups).toEqual([]);
    expect(events).toEqual([
      { project: '/p', what: 'audit', dataset: 'xray', running: true },
      { project: '/p', what: 'audit', dataset: 'xray', running: false },
    ]);
  });
});
