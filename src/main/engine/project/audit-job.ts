import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import type { AuditParams, AuditResult } from '../../../shared/contract/audit';
import { LumenError } from '../../../shared/errors';
import { lumenVersion } from '../../../shared/version';
import { metricEntry } from '../../../shared/metrics/catalogue';
import type { AttributionService } from '../attribution/attribution-service';
import { PixelSpace } from '../attribution/pixel-space';
import { writeFileAtomic } from '../fs-utils';
import { checkExportTarget } from '../report/export-target';
import { writeReport } from '../report/write-report';
import { boxToInput, placeInputOnOriginal } from '../../../shared/overlay-placement';
import { inspectImage } from '../image/image-source';
import { preprocess } from '../image/preprocess';
import { encodeNpy } from '../io/npy';
import type { EvaluationService } from '../metrics/evaluation-service';
import { pixelRelevance } from '../metrics/pixel-relevance';
import type { LoadedModel } from '../model/model-registry';
import { isMultiLabel } from '../../../shared/multilabel';
import type { OutputKind } from '../../../shared/model-card';
import { auditCsv } from './audit-report';
import { auditReportFor, findingFigures, mostProbableFinding } from './multilabel-audit';
import { storedResults } from './audit-queries';
import type { JobControls } from './job-controls';
import { massShares } from './map-statistics';
import { boxesToMask } from '../metrics/functions/localisation';
import { sidecarTruth } from '../metrics/sidecar-truth';
import { diskFullText, freeMegabytes, isDiskFull } from './disk-full';
import { fileInDataset } from './dataset-files';
import { ProjectStore } from './project-store';
import { openShard, parseShard } from './shards';
import { inTransaction } from './transaction';
import { decodeAhead } from './decode-ahead';
import { AuditBatchSize } from './audit-batch-size';
import { labelOverlap, labelOverlapWarnings } from './label-overlap';

type Request = z.output<typeof AuditParams> & {
  model: LoadedModel;
  signal?: AbortSignal | undefined;
  /** After each image (`image`: its path in the dataset), and once at the start. */
  onProgress?: ((done: number, total: number, jobId?: number, image?: string) => void) | undefined;
  /** Told at the start, before any image is computed, of what makes the numbers suspect (labels). */
  onWarning?: ((message: string) => void) | undefined;
  /** The class explained in every image (dataset evaluation); by default each image's top class. */
  target?: number | undefined;
  /**
   * Where the ground truth comes from: the project's box annotations (in image pixels), or the
   * sidecar files next to each image (`<stem>.boxes.json`, `<stem>.mask.png`, in model-input pixels).
   */
  truth?: 'annotations' | 'sidecar' | undefined;
  /** Images decoded and attributed together; 1 runs them one at a time. By default sized from the work per image (AuditBatchSize). */
  batchSize?: number | undefined;
};

/** An image of the dataset as the audit needs it: its size, the model input, and sidecar truth if asked. */
interface DecodedImage {
  source: { width: number; height: number };
  input: Float32Array;
  sidecar: Uint8Array | undefined;
}

interface ImageRow {
  id: number;
  path: string;
  label: string | null;
  width: number;
  height: number;
}

function softmaxMax(scores: Float32Array, kind: string): { index: number; confidence: number } {
  let index = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[index]!) index = i;
  if (kind === 'probabilities') return { index, confidence: scores[index]! };
  let total = 0;
  for (const s of scores) total += Math.exp(s - scores[index]!);
  return { index, confidence: 1 / total };
}

/** A fixed class's confidence: its probability (softmax of logits; a sigmoid's own for a multi-label model). */
function classConfidence(scores: Float32Array, index: number, kind: OutputKind): { index: number; confidence: number } {
  if (index >= scores.length) throw new LumenError('invalid-argument', `Class ${index} is out of range: the model has ${scores.length} classes (0 to ${scores.length - 1}).`);
  if (kind === 'multilabel-logits') return { index, confidence: 1 / (1 + Math.exp(-scores[index]!)) };
  if (kind === 'probabilities' || kind === 'multilabel-probabilities') return { index, confidence: scores[index]! };
  const max = softmaxMax(scores, kind);
  return { index, confidence: max.confidence * Math.exp(scores[index]! - scores[max.index]!) };
}

/**
 * Where an audit keeps its work: the project (or its shard) and the map artifacts. Tests pass one
 * whose disk fills up (a real SQLite page limit, or a write that fails as a full disk does).
 */
export interface AuditStorage {
  open(request: Pick<Request, 'project' | 'dataset' | 'shard' | 'limit'>): ProjectStore;
  writeArtifact(path: string, data: Uint8Array): Promise<void>;
}

export const projectStorage: AuditStorage = {
  open: (request) => (request.shard ? openShard(request.project, request.dataset, parseShard(request.shard), request.limit) : ProjectStore.open(request.project)),
  writeArtifact: writeFileAtomic,
};

/** The run this audit belongs to: the same model, method, parameters and dataset resume it. */
function runFor(store: ProjectStore, request: Request, datasetId: number): { runId: number; jobId: number } {
  const db = store.db;
  const card = JSON.stringify(request.model.resolved.card);
  db.prepare('INSERT OR IGNORE INTO models (file, sha256, card) VALUES (?, ?, ?)').run(request.model.fileName, request.model.sha256, card);
  const modelId = (db.prepare('SELECT id FROM models WHERE sha256 = ?').get(request.model.sha256) as { id: number }).id;
  // A selection is part of what the run is: the same selection resumes it, another one is another run.
  const selection = request.paths ? [...request.paths].sort() : null;
  // A fixed target or sidecar truth makes another run too (absent, the identity of older runs is unchanged).
  const variant = { ...(request.target !== undefined ? { target: request.target } : {}), ...(request.truth === 'sidecar' ? { truth: 'sidecar' } : {}) };
  const params = JSON.stringify({ dataset: datasetId, params: request.params, metrics: request.metrics, limit: request.limit ?? null, ...(selection ? { paths: selection } : {}), ...variant });
  const existing = db.prepare('SELECT id FROM runs WHERE model_id = ? AND method = ? AND params = ?').get(modelId, request.method, params) as { id: number } | undefined;
  const now = new Date().toISOString();
  const runId = existing ? existing.id : Number(db.prepare('INSERT INTO runs (model_id, method, params, seed, lumen_version, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(modelId, request.method, params, Number(request.params['seed'] ?? 0), lumenVersion, now).lastInsertRowid);
  const job = db.prepare('SELECT id FROM jobs WHERE run_id = ? ORDER BY id DESC').get(runId) as { id: number } | undefined;
  const jobId = job ? job.id : Number(db.prepare("INSERT INTO jobs (run_id, state, created_at, updated_at) VALUES (?, 'queued', ?, ?)").run(runId, now, now).lastInsertRowid);
  return { runId, jobId };
}

/**
 * A dataset audit as a job in the engine's process: for each image of the dataset that has no
 * result in this run yet, classify it, attribute its top class, measure where the attribution lies
 * (border, corners, ground truth, marked regions) and any requested metrics, write the map as an
 * artifact and commit the result in its own transaction. A crash loses at most the image in
 * flight; running the same audit again resumes where it stopped.
 */
export async function runAudit(services: { attributions: AttributionService; evaluations: EvaluationService; jobs: JobControls }, request: Request, storage: AuditStorage = projectStorage): Promise<AuditResult> {
  // The CSV's place is checked before any work: not over the project's files, not over a file unless asked.
  const csvTarget = { format: 'csv', overwrite: request.overwrite } as const;
  if (request.csv) checkExportTarget(request.csv, csvTarget);
  // A shard works in its own project with its slice of the dataset; the rest is the same.
  const store = storage.open(request);
  try {
    store.assertWritable('run an audit');
    const db = store.db;
    const dataset = db.prepare('SELECT id, root FROM datasets WHERE name = ?').get(request.dataset) as { id: number; root: string } | undefined;
    if (!dataset) throw new LumenError('not-found', `There is no dataset "${request.dataset}" in ${store.folder}.`, 'Import it first (lumen import).');
    services.attributions.methodFor(request.method);
    const { runId, jobId } = runFor(store, request, dataset.id);
    const control = services.jobs.start(request.project, jobId, request.signal);
    const signal = control.signal;
    try {
      let images = db.prepare('SELECT id, path, label, width, height FROM images WHERE dataset_id = ? ORDER BY path').all(dataset.id) as ImageRow[];
      if (request.paths) {
        const wanted = new Set(request.paths);
        images = images.filter((i) => wanted.has(i.path));
        if (images.length === 0) throw new LumenError('not-found', `None of the ${request.paths.length} selected images is in the dataset "${request.dataset}".`, 'Select images from this dataset.');
      }
      if (request.limit && !request.shard) images = images.slice(0, request.limit);
      const warnings = labelOverlapWarnings(labelOverlap(images.map((i) => i.label), request.model.resolved.card.output), request.model.resolved.card.output, request.dataset);
      warnings.forEach((w) => request.onWarning?.(w));
      const done = new Set((db.prepare('SELECT image_id FROM results WHERE run_id = ?').all(runId) as Array<{ image_id: number }>).map((r) => r.image_id));
      const todo = images.filter((i) => !done.has(i.id));
      const boxesOf = db.prepare("SELECT kind, x0, y0, x1, y1 FROM annotations WHERE image_id = ? AND kind IN ('box', 'region')");
      const insert = db.prepare('INSERT INTO results (run_id, image_id, target, score, map_artifact, metrics) VALUES (?, ?, ?, ?, ?, ?)');
      const progress = db.prepare("UPDATE jobs SET state = ?, done = ?, total = ?, error = ?, updated_at = ? WHERE id = ?");
      const commit = (image: ImageRow, target: number, confidence: number, artifact: string, metrics: string, count: number): void =>
        inTransaction(db, () => {
          insert.run(runId, image.id, target, confidence, artifact, metrics);
          progress.run('running', count, images.length, null, new Date().toISOString(), jobId);
        });
      const card = request.model.resolved.card;
      const pixels = new PixelSpace(card);
      const { height: H, width: W } = pixels;
      const artifactDir = join(store.artifacts, `run-${runId}`);
      await mkdir(artifactDir, { recursive: true });
      const failures: AuditResult['failures'] = [];
      let computeMs = 0;
      let storageMs = 0;
      let bytes = 0;
      let count = done.size;
      const t0 = performance.now();
      progress.run('running', count, images.length, null, new Date().toISOString(), jobId);
      // The first report names the job, so the client can pause or cancel it at once.
      request.onProgress?.(count, images.length, jobId);
      const stopIfAsked = (): void => {
        if (!signal.aborted) return;
        const paused = signal.reason === 'pause';
        progress.run(paused ? 'paused' : 'cancelled', count, images.length, null, new Date().toISOString(), jobId);
        throw new LumenError('cancelled', `The audit was ${paused ? 'paused' : 'cancelled'} after ${count} of ${images.length} images; run it again to resume.`);
      };
      const decode = async (image: ImageRow): Promise<DecodedImage> => {
        const file = fileInDataset({ ...dataset, name: request.dataset }, image.path);
        const source = await inspectImage(new Uint8Array(await readFile(file)), image.path);
        const input = (await preprocess(source, card)).data;
        const sidecar = request.truth === 'sidecar' ? await sidecarTruth(file, H, W) : undefined;
        return { source, input, sidecar };
      };
      // The next batch decodes while this one computes; a batch's images share attribution runs.
      const batchSize = new AuditBatchSize(request.batchSize);
      for await (const batch of decodeAhead(todo, () => batchSize.next(), decode)) {
        stopIfAsked();
        const tc = performance.now();
        const readable: Array<{ image: ImageRow } & DecodedImage> = [];
        for (const decoded of batch) {
          // A missing or broken image is reported; the job goes on.
          if (decoded.error) failures.push({ path: decoded.item.path, error: decoded.error.message });
          else readable.push({ image: decoded.item, ...decoded.value! });
        }
        if (readable.length === 0) continue;
        const classified = [];
        for (const { input } of readable) {
          const scores = await services.attributions.classScores(request.model, input);
          // A multi-label image explains its most probable finding; its probabilities are kept per finding.
          const { index: target, confidence } =
            request.target !== undefined ? classConfidence(scores, request.target, card.output.kind) : isMultiLabel(card.output.kind) ? mostProbableFinding(scores, card.output) : softmaxMax(scores, card.output.kind);
          classified.push({ scores, target, confidence });
        }
        const attributions = await services.attributions.attributeImages(
          request.model,
          readable.map((r) => r.input),
          classified.map((c) => c.target),
          request.method,
          request.params,
          { signal },
        );
        let batchMs = performance.now() - tc;
        batchSize.record(readable.length, batchMs);
        for (const [i, { image, source, input, sidecar }] of readable.entries()) {
          // Between images of a batch too: a cancelled audit stops after the image it finished.
          stopIfAsked();
          const ti = performance.now();
          const { scores, target, confidence } = classified[i]!;
          const map = attributions.maps[i]!;
          // Boxes in image pixels, mapped to the model input as the card's geometry maps the image.
          const placed = placeInputOnOriginal({ width: source.width, height: source.height }, { width: W, height: H }, card.preprocess.resize);
          const toInput = (b: { x0: number; y0: number; x1: number; y1: number }) => boxToInput(placed, b);
          const annotations = boxesOf.all(image.id) as Array<{ kind: string; x0: number; y0: number; x1: number; y1: number }>;
          // Boxes the card's crop leaves outside the model input are dropped, not errors.
          const paint = (kind: string): Uint8Array | undefined => {
            const inside = annotations
              .filter((a) => a.kind === kind)
              .map(toInput)
              .filter((b) => b.x1 > Math.max(0, b.x0) && b.y1 > Math.max(0, b.y0) && b.x0 < W && b.y0 < H);
            return inside.length > 0 ? boxesToMask(inside, H, W) : undefined;
          };
          const truth = request.truth === 'sidecar' ? sidecar : paint('box');
          const relevance = pixelRelevance(map, pixels, 'sum');
          const metrics: Record<string, number> = { ...massShares(relevance, H, W, { truth, regions: paint('region') }), ...findingFigures(scores, card.output) };
          // Metrics that need ground truth run only on images that have it.
          const wanted = request.metrics.filter((m) => truth || !metricEntry(m.metric)?.needsGroundTruth);
          if (wanted.length > 0) {
            const evaluation = await services.evaluations.evaluate({ model: request.model, input, method: request.method, target, params: attributions.params, attribution: map, scores, metrics: wanted, groundTruth: truth, signal });
            for (const m of evaluation.metrics) metrics[m.metric] = m.score;
          }
          // The batch's shared work (classification, attribution) is counted once, with its first image.
          computeMs += batchMs + performance.now() - ti;
          batchMs = 0;
          const ts = performance.now();
          const artifact = `run-${runId}/${image.id}.npy`;
          const npy = encodeNpy({ shape: [H, W], data: Float32Array.from(relevance) });
          await storage.writeArtifact(join(store.artifacts, artifact), npy);
          commit(image, target, confidence, artifact, JSON.stringify(metrics), count + 1);
          count++;
          storageMs += performance.now() - ts;
          bytes += npy.length;
          request.onProgress?.(count, images.length, jobId, image.path);
        }
      }
      progress.run('done', count, images.length, failures.length ? `${failures.length} image(s) could not be read` : null, new Date().toISOString(), jobId);
      const rows = storedResults(store, runId);
      const report = auditReportFor(rows, card.output);
      if (request.csv) await writeReport(request.csv, auditCsv(rows, report.flags), csvTarget);
      const computed = todo.length - failures.length;
      const minutes = (performance.now() - t0) / 60000;
      return {
        runId,
        jobId,
        state: 'done',
        total: images.length,
        resumed: done.size,
        computed,
        failures,
        warnings,
        ...report,
        imagesPerMinute: computed > 0 ? computed / minutes : 0,
        storage: { bytesPerImage: computed > 0 ? bytes / computed : 0, msPerImage: computed > 0 ? storageMs / computed : 0, computeMsPerImage: computed > 0 ? computeMs / computed : 0 },
      };
    } catch (error) {
      if (isDiskFull(error)) throw await pauseForFullDisk(store, jobId, error);
      // However the run stopped (between images or inside one), the job says so: a job left
      // `running` would read as interrupted by a dead process.
      const stopped = signal.aborted;
      const paused = stopped && signal.reason === 'pause';
      const state = stopped ? (paused ? 'paused' : 'cancelled') : 'failed';
      const message = error instanceof Error ? error.message : String(error);
      db.prepare("UPDATE jobs SET state = ?, error = ?, updated_at = ? WHERE id = ? AND state IN ('queued', 'running')").run(state, stopped ? null : message, new Date().toISOString(), jobId);
      if (!stopped || (error instanceof LumenError && error.message.startsWith('The audit was'))) throw error;
      const job = db.prepare('SELECT done, total FROM jobs WHERE id = ?').get(jobId) as { done: number; total: number };
      throw new LumenError('cancelled', `The audit was ${paused ? 'paused' : 'cancelled'} after ${job.done} of ${job.total} images; run it again to resume.`);
    } finally {
      control.done();
    }
  } catch (error) {
    // A disk too full for even the run's first rows: nothing started, nothing lost.
    if (isDiskFull(error)) throw await pauseForFullDisk(store, undefined, error);
    throw error;
  } finally {
    store.close();
  }
}

/**
 * A full disk pauses the job instead of failing it: every committed result stays (the failed
 * image's transaction was rolled back), and the same command resumes once there is space. The
 * job's own update may not fit on the disk either; it then reads as interrupted, which resumes
 * the same way.
 */
async function pauseForFullDisk(store: ProjectStore, jobId: number | undefined, error: unknown): Promise<LumenError> {
  const free = await freeMegabytes(store.folder);
  const text = diskFullText(free);
  let progress = '';
  try {
    if (jobId === undefined) throw new Error('no job yet');
    store.db.prepare("UPDATE jobs SET state = 'paused', error = ?, updated_at = ? WHERE id = ?").run(text, new Date().toISOString(), jobId);
    const job = store.db.prepare('SELECT done, total FROM jobs WHERE id = ?').get(jobId) as { done: number; total: number };
    progress = ` after ${job.done} of ${job.total} images`;
  } catch {
    // The disk took not even this; the job shows as interrupted when the project is next opened.
  }
  return new LumenError(
    'invalid-argument',
    jobId === undefined ? `The audit could not start: ${text} on ${store.folder}; the project is unchanged.` : `The audit was paused${progress}: ${text} on ${store.folder}; the results so far are kept.`,
    'Free some space on that disk, then run the same command again to resume.',
    { code: (error as { code?: unknown }).code ?? null, freeMegabytes: free, path: store.folder },
  );
}
