import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import type { DatasetEvaluationParams, DatasetEvaluationResult } from '../../../shared/contract/dataset-evaluation';
import { LumenError } from '../../../shared/errors';
import { metricEntry } from '../../../shared/metrics/catalogue';
import { listImages } from '../image/list-images';
import { rankMethods } from '../metrics/aggregate';
import type { LoadedModel } from '../model/model-registry';
import { runAudit } from './audit-job';
import { findDataset } from './dataset-files';
import { importFolder } from './dataset-import';
import { openProject } from './open-project';

type Request = z.output<typeof DatasetEvaluationParams> & {
  model: LoadedModel;
  signal?: AbortSignal | undefined;
  /** After each image of each method's job: images done of the folder's, and which image and method. */
  onProgress?: ((done: number, total: number, jobId: number | undefined, message: string) => void) | undefined;
};
type Result = z.output<typeof DatasetEvaluationResult>;
type AuditServices = Parameters<typeof runAudit>[0];

/** The engine's own project for a folder evaluated without one: one per folder, under `workFolder`. */
export function workProjectFor(workFolder: string, root: string): string {
  return join(workFolder, 'dataset-evaluations', createHash('sha256').update(root).digest('hex').slice(0, 16));
}

/**
 * Dataset evaluation on the audits' code: the folder is imported into the project as a dataset
 * (an unreadable image is a failure of that image, for every method), or a dataset of the project
 * is taken as it is (the app evaluates its open project's), then each method runs as an
 * audit job of its own with the metrics asked for, sidecar ground truth and the given target;
 * running the same evaluation again resumes each job where it stopped. The per-metric bootstrap
 * intervals are the audits' own; the methods are ranked by their means.
 */
export async function evaluateDatasetJob(services: AuditServices & { workFolder: string }, request: Request): Promise<Result> {
  for (const m of request.metrics) if (!metricEntry(m.metric)) throw new LumenError('invalid-argument', `Unknown metric "${m.metric}".`, 'List the metrics with `lumen metrics`.');
  const source = request.dataset !== undefined && request.project !== undefined ? projectDataset(request.project, request.dataset, request.limit) : await folderDataset(services.workFolder, request);
  const { project, dataset, root, found, unreadable } = source;
  const failed = new Set(unreadable.map((u) => u.image));
  const readable = found.filter((path) => !failed.has(path));

  const failures: Result['failures'] = [];
  const runs: Result['runs'] = [];
  const means: Record<string, Record<string, number>> = {};
  const summary: Result['summary'] = [];
  for (const method of request.methods) {
    for (const u of unreadable) failures.push({ image: u.image, method, error: u.error });
    means[method] = {};
    if (readable.length === 0) continue;
    let audit;
    try {
      audit = await runAudit(services, {
        project,
        dataset,
        modelId: request.model.id,
        method,
        params: request.params[method] ?? {},
        metrics: request.metrics,
        // A limit selects the folder's first images, as listed (a project's dataset: its audits' own limit); without one the whole dataset is the run.
        ...(request.limit ? (source.kind === 'folder' ? { paths: readable } : { limit: request.limit }) : {}),
        overwrite: false,
        model: request.model,
        signal: request.signal,
        target: request.target,
        // A folder's truth is its sidecar files; a project's dataset has its own annotations, as its audits do.
        truth: source.kind === 'folder' ? 'sidecar' : undefined,
        onProgress: (done, total, jobId, image) => request.onProgress?.(unreadable.length + done, unreadable.length + total, jobId, image ? `${image} · ${method}` : method),
      });
    } catch (error) {
      if (request.signal?.aborted || (error instanceof LumenError && error.code === 'cancelled')) throw error;
      // A method that fails as a whole (it cannot explain this model, say) fails on every image; the others go on.
      for (const image of readable) failures.push({ image, method, error: (error as Error).message });
      continue;
    }
    runs.push({ method, runId: audit.runId, jobId: audit.jobId, resumed: audit.resumed, computed: audit.computed });
    for (const f of audit.failures) failures.push({ image: f.path, method, error: f.error });
    for (const { metric } of request.metrics) {
      const s = audit.metrics.find((m) => m.metric === metric);
      if (!s || s.n === 0) continue;
      means[method]![metric] = s.mean;
      summary.push({ method, metric, higherIsBetter: metricEntry(metric)!.higherIsBetter, n: s.n, mean: s.mean, ciLow: s.ciLow, ciHigh: s.ciHigh });
    }
  }
  // Ranked on the metrics every scored method has; a method that failed on every image is not
  // ranked (its failures say why), and with no metric in common there is nothing to rank on.
  const scored = Object.fromEntries(Object.entries(means).filter(([, m]) => Object.keys(m).length > 0));
  const ranking = rankMethods(scored, Object.fromEntries(request.metrics.map((m) => [m.metric, metricEntry(m.metric)!.higherIsBetter]))).filter((r) => Number.isFinite(r.meanRank));
  return { folder: root, project, dataset, images: found.length, summary, ranking, failures, runs };
}

interface Source {
  kind: 'folder' | 'dataset';
  project: string;
  dataset: string;
  root: string;
  /** The images evaluated, within the limit. */
  found: string[];
  unreadable: Array<{ image: string; error: string }>;
}

/** A folder: imported into the project (by default the engine's own) as a dataset named after it. */
async function folderDataset(workFolder: string, request: Request): Promise<Source> {
  if (request.folder === undefined) throw new LumenError('invalid-argument', 'No folder to evaluate was given.', 'Give a folder of images, or a dataset of the project.');
  const root = resolve(request.folder);
  const all = await listImages(root);
  const found = request.limit ? all.slice(0, request.limit) : all;
  if (found.length === 0) throw new LumenError('invalid-argument', `No images (JPEG, PNG, WebP, TIFF) under ${root}.`, 'Give a folder that holds images, in sub-folders or not.');
  const project = request.project ?? workProjectFor(workFolder, root);
  // One dataset per folder, named after it, so another folder never collides with this one's root.
  const dataset = `folder-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`;
  const store = openProject(project, { create: request.project === undefined });
  try {
    const imported = await importFolder(store, dataset, root);
    const inScope = new Set(found);
    const unreadable = imported.problems.filter((p) => inScope.has(p.where)).map((p) => ({ image: p.where, error: p.reason }));
    return { kind: 'folder', project, dataset, root, found, unreadable };
  } finally {
    store.close();
  }
}

/** A dataset already in the project (the app's open one): its images as imported, in path order. */
function projectDataset(project: string, name: string, limit: number | undefined): Source {
  const store = openProject(project, { create: false });
  try {
    const dataset = findDataset(store, name);
    const paths = (store.db.prepare('SELECT path FROM images WHERE dataset_id = ? ORDER BY path').all(dataset.id) as Array<{ path: string }>).map((r) => r.path);
    const found = limit ? paths.slice(0, limit) : paths;
    if (found.length === 0) throw new LumenError('invalid-argument', `The dataset "${name}" has no images.`, 'Import a folder of images into it first.');
    return { kind: 'dataset', project, dataset: name, root: dataset.root, found, unreadable: [] };
  } finally {
    store.close();
  }
}
