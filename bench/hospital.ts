/**
 * Hospital scale (issue 20): a synthetic archive of N small PNGs (default 100,000; a few distinct
 * files under many hard-linked names, in ten label folders) is imported through the real import
 * path, browsed from the engine, audited in 16 shards by 16 local `lumen audit --shard i/16`
 * processes and merged. Reports import time, database bytes per image, page times for every sort
 * (first, middle and last page, both directions) against reopening the project per request (what
 * every request did before projects were kept open) interleaved in the same run, the shards' wall
 * time, the merge time, and whether the 16 shards' merged results equal one process auditing the same
 * images (a copy of the project made before the shards).
 *
 * The shards audit every image with the gradient method and a small classifier made for the
 * archive's 32 x 32 images (bench/archive-classifier.ts; LUMEN_BENCH_HOSPITAL_MODEL=archive, the
 * default). With LUMEN_BENCH_HOSPITAL_MODEL=bundled they use the bundled MobileNetV2 at 224 x 224,
 * about a hundred times the work per image, which does not fit 100,000 images on two cores: then
 * each shard audits its slice of the first LUMEN_BENCH_HOSPITAL_AUDITED images (default 32) and the
 * rest of its slice gets copies of those real results and maps (said in the output), so that the
 * merge is still timed on complete shard outputs. One process then audits the first
 * LUMEN_BENCH_HOSPITAL_CHECKED audited images (default 2,000) of a copy of the project made before
 * the shards, and their results must equal the merged ones.
 *
 * A metric sort is also timed against the sort it replaced (the general query's ORDER BY over the
 * whole dataset), interleaved, checking that both give the same pages. LUMEN_BENCH_HOSPITAL_PAGES_ONLY=1
 * times only that, on a synthetic run written straight into the project (no audit, no shards): a
 * distinct deletion AUC per image and a pointing game of 0 or 1 on two images in three (others
 * without a value), also reporting the time to write the run and the metric index's bytes.
 *
 * Env: LUMEN_BENCH_HOSPITAL_IMAGES (N), LUMEN_BENCH_HOSPITAL_MODEL, LUMEN_BENCH_HOSPITAL_AUDITED,
 * LUMEN_BENCH_HOSPITAL_CHECKED, LUMEN_BENCH_HOSPITAL_REPEATS, LUMEN_BENCH_HOSPITAL_PAGES_ONLY.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, linkSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import Database from 'libsql';
import { DatasetImagesParams } from '../src/shared/contract/project';
import { Engine } from '../src/main/engine/engine';
import { datasetImages } from '../src/main/engine/project/dataset-images';
import { importFolder } from '../src/main/engine/project/dataset-import';
import { closeKeptProjects } from '../src/main/engine/project/open-project-cache';
import { openProject } from '../src/main/engine/project/open-project';
import { ProjectStore } from '../src/main/engine/project/project-store';
import { mergeShards, openShard } from '../src/main/engine/project/shards';
import { inTransaction } from '../src/main/engine/project/transaction';
import { writeArchiveClassifier } from './archive-classifier';
import { summarize } from './stats';

const shardCount = 16;
const dataset = 'archive';
const ms = (x: number): string => `${x.toFixed(1)} ms`;

/** `count` PNG names over a few distinct 32 x 32 images, hard-linked into ten label folders. */
async function syntheticArchive(count: number): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'lumen-bench-hospital-data-'));
  const distinct: string[] = [];
  for (let k = 0; k < 16; k++) {
    const file = join(root, `.distinct-${k}.png`);
    const pixels = Buffer.alloc(32 * 32 * 3);
    for (let p = 0; p < pixels.length; p++) pixels[p] = (p * (k + 3) + k * 41) % 256;
    await sharp(pixels, { raw: { width: 32, height: 32, channels: 3 } }).png().toFile(file);
    distinct.push(file);
  }
  for (let c = 0; c < 10; c++) mkdirSync(join(root, `class-${c}`));
  for (let i = 0; i < count; i++) linkSync(distinct[i % distinct.length]!, join(root, `class-${i % 10}`, `img-${String(i).padStart(6, '0')}.png`));
  return root;
}

/** A fresh project with the archive imported; the import's wall time. */
async function importedProject(data: string): Promise<{ project: string; importMs: number }> {
  const project = join(mkdtempSync(join(tmpdir(), 'lumen-bench-hospital-')), 'hospital');
  openProject(project, { create: true }).close();
  const store = openProject(project);
  const t0 = performance.now();
  const report = await importFolder(store, dataset, data);
  const importMs = performance.now() - t0;
  store.close();
  if (report.images.added === 0) throw new Error(`the import added nothing: ${JSON.stringify(report).slice(0, 300)}`);
  return { project, importMs };
}

/** Runs the built CLI; resolves with its exit code (its error output is shown when it fails). */
function lumen(args: string[]): Promise<number | null> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['bin/lumen.mjs', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.once('exit', (code) => {
      if (code !== 0) process.stderr.write(errors);
      done(code);
    });
  });
}

/** `lumen audit` of the first `limit` images with the gradient method (and `--model` unless the bundled one). */
function auditArgs(project: string, model: string | null, limit: number): string[] {
  return ['audit', '--project', project, '--dataset', dataset, ...(model ? ['--model', model] : []), '--method', 'gradient', '--limit', String(limit), '--json'];
}

/** 16 `lumen audit --shard i/16` processes at once (as a job array runs them); their wall time. */
async function shardAudits(project: string, model: string | null, limit: number): Promise<number> {
  const t0 = performance.now();
  const codes = await Promise.all(Array.from({ length: shardCount }, (_, k) => lumen([...auditArgs(project, model, limit), '--shard', `${k + 1}/${shardCount}`])));
  if (codes.some((c) => c !== 0)) throw new Error(`shard audits exited with ${codes.join(', ')}`);
  return performance.now() - t0;
}

/**
 * Completes each shard's output: the rest of its slice is added (openShard, as an audit would) and
 * every image without a result gets a copy of one of the shard's real results, its map hard-linked.
 */
function completeShards(project: string): number {
  let copied = 0;
  for (let k = 1; k <= shardCount; k++) {
    const shard = openShard(project, dataset, { index: k, count: shardCount }, undefined);
    try {
      const real = shard.db.prepare('SELECT run_id, target, score, map_artifact, metrics FROM results ORDER BY image_id').all() as Array<{ run_id: number; target: number; score: number; map_artifact: string | null; metrics: string }>;
      if (real.length === 0) throw new Error(`shard ${k} has no results`);
      const missing = shard.db.prepare('SELECT id FROM images WHERE id NOT IN (SELECT image_id FROM results) ORDER BY id').all() as Array<{ id: number }>;
      const insert = shard.db.prepare('INSERT INTO results (run_id, image_id, target, score, map_artifact, metrics) VALUES (?, ?, ?, ?, ?, ?)');
      inTransaction(shard.db, () => {
        missing.forEach(({ id }, n) => {
          const from = real[n % real.length]!;
          let artifact: string | null = null;
          if (from.map_artifact) {
            artifact = join(dirname(from.map_artifact), `${id}.npy`);
            linkSync(join(shard.artifacts, from.map_artifact), join(shard.artifacts, artifact));
          }
          insert.run(from.run_id, id, from.target, from.score, artifact, from.metrics);
          copied++;
        });
      });
    } finally {
      shard.close();
    }
  }
  return copied;
}

type Page = { sort: string; runId?: number; descending: boolean; offset: number };

/** The pages to time for `total` images: first, middle and last page of every sort, both directions. */
function pagesOf(total: number, sorts: string[], runId: number | undefined): Page[] {
  const limit = 200;
  const offsets = [0, Math.floor(total / 2 / limit) * limit, Math.max(0, Math.ceil(total / limit - 1) * limit)];
  return sorts.flatMap((sort) => [false, true].flatMap((descending) => offsets.map((offset) => ({ sort, descending, offset, ...(runId !== undefined ? { runId } : {}) }))));
}

/**
 * Every page through the engine (the project kept open) and, interleaved, by reopening the project
 * for the same query (the baseline: open with its integrity check, query, close).
 */
async function timePages(engine: Engine, project: string, pages: Page[], repeats: number): Promise<void> {
  const context = { requestId: 'bench', signal: new AbortController().signal };
  const bySort = new Map<string, { kept: number[]; cpu: number[]; reopened: number[] }>();
  for (let r = 0; r < repeats; r++) {
    for (const page of pages) {
      const params = DatasetImagesParams.parse({ project, dataset, limit: 200, ...page });
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const answer = await engine.handlers['datasets.images'](params, context);
      const kept = performance.now() - t0;
      const used = process.cpuUsage(c0);
      if (answer.rows.length === 0) throw new Error(`empty page: ${JSON.stringify(page)}`);
      const t1 = performance.now();
      const store = ProjectStore.open(project);
      try {
        datasetImages(store, params);
      } finally {
        store.close();
      }
      const reopened = performance.now() - t1;
      const key = `${page.sort}${page.descending ? ' desc' : ''}`;
      const entry = bySort.get(key) ?? { kept: [], cpu: [], reopened: [] };
      entry.kept.push(kept);
      entry.cpu.push((used.user + used.system) / 1000);
      entry.reopened.push(reopened);
      bySort.set(key, entry);
    }
  }
  for (const [sort, { kept, cpu, reopened }] of bySort) {
    const k = summarize(kept);
    const o = summarize(reopened);
    console.log(
      `  ${sort.padEnd(18)} kept open: median ${ms(k.median)}, max ${ms(Math.max(...kept))} (CPU median ${ms(summarize(cpu).median)})  |  reopened per request: median ${ms(o.median)}  |  ratio ${(k.median / o.median).toFixed(2)} (n ${k.n}: first/middle/last page x ${repeats})`,
    );
  }
  const all = [...bySort.values()].flatMap((v) => v.kept);
  const cpu = [...bySort.values()].flatMap((v) => v.cpu);
  console.log(`  every page, kept open: median ${ms(summarize(all).median)}, max ${ms(Math.max(...all))}; CPU median ${ms(summarize(cpu).median)}, max ${ms(Math.max(...cpu))} (n ${all.length}; wall time includes waiting for a shared CPU)`);
}

/**
 * The page's paths as the general query orders them (`datasetImages` without an index: a metric of
 * every image extracted, then the whole dataset sorted, nulls last, ties by path), without the
 * general query's per-row DICOM and label joins: a lower bound of what a metric page cost before.
 */
function sortedPage(db: Database.Database, runId: number, metric: string, page: Page, limit: number): string[] {
  const direction = page.descending ? 'DESC' : 'ASC';
  const rows = db
    .prepare(
      `SELECT i.path, json_extract(r.metrics, ?) AS sort_key FROM images i LEFT JOIN results r ON r.image_id = i.id AND r.run_id = ?
       WHERE i.dataset_id = (SELECT id FROM datasets WHERE name = ?) ORDER BY sort_key IS NULL, sort_key ${direction}, i.path LIMIT ? OFFSET ?`,
    )
    .all(`$."${metric}"`, runId, dataset, limit, page.offset) as Array<{ path: string }>;
  return rows.map((r) => r.path);
}

/**
 * Metric sorts through the engine (walking result_metric_order) against the sorting query they
 * replaced, interleaved on the same pages (first, middle and last, both directions): medians, their
 * ratio, and whether every page was the same.
 */
async function timeMetricPages(engine: Engine, project: string, runId: number, metrics: string[], count: number, repeats: number): Promise<void> {
  const context = { requestId: 'bench', signal: new AbortController().signal };
  const db = new Database(join(project, 'project.db'), { readonly: true });
  try {
    for (const metric of metrics) {
      const walked: number[] = [];
      const cpu: number[] = [];
      const sorted: number[] = [];
      let same = true;
      // Also the page in the middle of the images without a value (if any): the farthest from both
      // ends of their walk, each image there looked up among the run's results.
      const valued = Number((db.prepare('SELECT count(*) AS n FROM result_metric_order WHERE run_id = ? AND name = ?').get(runId, metric) as { n: number }).n);
      const middleOfMissing = valued + Math.floor((count - valued) / 2);
      const pages = [...pagesOf(count, [metric], runId), ...(valued < count ? [false, true].map((descending) => ({ sort: metric, runId, descending, offset: middleOfMissing })) : [])];
      const missingPage: number[] = [];
      for (let r = 0; r < repeats; r++) {
        for (const page of pages) {
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          const answer = await engine.handlers['datasets.images'](DatasetImagesParams.parse({ project, dataset, limit: 200, ...page }), context);
          (page.offset === middleOfMissing ? missingPage : walked).push(performance.now() - t0);
          const used = process.cpuUsage(c0);
          cpu.push((used.user + used.system) / 1000);
          const t1 = performance.now();
          const reference = sortedPage(db, runId, metric, page, 200);
          if (page.offset !== middleOfMissing) sorted.push(performance.now() - t1);
          same &&= JSON.stringify(answer.rows.map((row) => row.path)) === JSON.stringify(reference);
        }
      }
      const [w, s] = [summarize(walked), summarize(sorted)];
      console.log(
        `  ${`${metric} (both ways)`.padEnd(26)} index walk: median ${ms(w.median)}, max ${ms(Math.max(...walked))} (CPU median ${ms(summarize(cpu).median)})  |  sorting query: median ${ms(s.median)}  |  ratio ${(w.median / s.median).toFixed(3)} (n ${w.n} each, interleaved: first/middle/last page x 2 directions x ${repeats}); pages ${same ? 'EQUAL' : 'DIFFER'}`,
      );
      if (missingPage.length > 0) {
        console.log(`    the middle page of the ${count - valued} images without a value (offset ${middleOfMissing}): index walk median ${ms(summarize(missingPage).median)}, max ${ms(Math.max(...missingPage))} (n ${missingPage.length})`);
      }
    }
  } finally {
    db.close();
  }
}

/**
 * A run with a result for every image, written straight into the project (through the triggers that
 * keep the metric index, as an audit's or a merge's inserts are): a deletion AUC distinct per image
 * and a pointing game of 0 or 1 on two images in three. Its id, the write's time and the index's bytes.
 */
function syntheticRun(project: string): { runId: number; writeMs: number; indexBytes: number; results: number } {
  const store = ProjectStore.open(project);
  try {
    const db = store.db;
    const datasetId = Number((db.prepare('SELECT id FROM datasets WHERE name = ?').get(dataset) as { id: number }).id);
    const model = db.prepare("INSERT INTO models (file, sha256, card) VALUES ('synthetic.onnx', 'synthetic', ?)").run(JSON.stringify({ output: { labels: Array.from({ length: 10 }, (_, k) => `class-${k}`) } }));
    const run = db.prepare("INSERT INTO runs (model_id, method, params, lumen_version, created_at) VALUES (?, 'gradient', ?, 'bench', 'now')").run(model.lastInsertRowid, JSON.stringify({ dataset: datasetId }));
    const runId = Number(run.lastInsertRowid);
    const images = db.prepare('SELECT id FROM images WHERE dataset_id = ? ORDER BY id').all(datasetId) as Array<{ id: number }>;
    const insert = db.prepare('INSERT INTO results (run_id, image_id, target, score, metrics) VALUES (?, ?, ?, ?, ?)');
    const t0 = performance.now();
    inTransaction(db, () => {
      images.forEach(({ id }, k) => {
        const auc = ((k * 7919) % 100_003) / 100_003;
        insert.run(runId, id, k % 10, ((k * 31) % 997) / 997, JSON.stringify({ 'deletion-auc': auc, ...(k % 3 === 2 ? {} : { 'pointing-game': k % 2 }) }));
      });
    });
    const writeMs = performance.now() - t0;
    const indexBytes = Number((db.prepare("SELECT sum(pgsize) AS n FROM dbstat WHERE name = 'result_metric_order'").get() as { n: number }).n);
    return { runId, writeMs, indexBytes, results: images.length };
  } finally {
    store.close();
  }
}

/** LUMEN_BENCH_HOSPITAL_PAGES_ONLY: the archive imported, a synthetic run, metric pages against the sort they replaced. */
async function benchMetricPages(count: number, repeats: number): Promise<void> {
  console.log(`\nHospital scale, metric sorts only: ${count} images, a synthetic run (no audit)`);
  const data = await syntheticArchive(count);
  const { project, importMs } = await importedProject(data);
  console.log(`  import: ${(importMs / 1000).toFixed(1)} s`);
  const run = syntheticRun(project);
  console.log(`  wrote ${run.results} results (2 metrics each on 2 images in 3, 1 on the rest) in ${(run.writeMs / 1000).toFixed(1)} s; result_metric_order ${(run.indexBytes / 1e6).toFixed(1)} MB, ${(run.indexBytes / run.results).toFixed(0)} bytes per result`);
  const engine = new Engine({ graphCacheDir: null });
  try {
    const context = { requestId: 'bench', signal: new AbortController().signal };
    await engine.handlers['datasets.images'](DatasetImagesParams.parse({ project, dataset, runId: run.runId, limit: 1 }), context);
    console.log(`Pages of 200 sorted by a metric of run ${run.runId} (engine, project kept open) vs the sorting query:`);
    await timeMetricPages(engine, project, run.runId, ['deletion-auc', 'pointing-game'], count, repeats);
  } finally {
    closeKeptProjects();
    await engine.dispose();
  }
}

/** The results of the given images, as comparable rows (image, class, score, metrics). */
function resultsOf(project: string, images: number[]): string[] {
  const db = new Database(join(project, 'project.db'), { readonly: true });
  try {
    return (db.prepare('SELECT image_id, target, score, metrics FROM results WHERE image_id IN (SELECT value FROM json_each(?)) ORDER BY image_id').all(JSON.stringify(images)) as Array<Record<string, unknown>>).map((r) =>
      JSON.stringify([r['image_id'], r['target'], r['score'], r['metrics']]),
    );
  } finally {
    db.close();
  }
}

/** The ids of the images the shards really audited (the first `limit` in path order). */
function auditedImages(project: string, limit: number): number[] {
  const db = new Database(join(project, 'project.db'), { readonly: true });
  try {
    return (db.prepare('SELECT id FROM images ORDER BY path LIMIT ?').all(limit) as Array<{ id: number }>).map((r) => Number(r.id));
  } finally {
    db.close();
  }
}

export async function benchHospital(
  count = Number(process.env['LUMEN_BENCH_HOSPITAL_IMAGES'] ?? 100_000),
  bundled = process.env['LUMEN_BENCH_HOSPITAL_MODEL'] === 'bundled',
  audited = Math.min(count, Number(process.env['LUMEN_BENCH_HOSPITAL_AUDITED'] ?? (bundled ? 32 : count))),
  checked = Math.min(audited, Number(process.env['LUMEN_BENCH_HOSPITAL_CHECKED'] ?? 2000)),
  repeats = Number(process.env['LUMEN_BENCH_HOSPITAL_REPEATS'] ?? 3),
): Promise<void> {
  process.env['LUMEN_HOME'] ??= mkdtempSync(join(tmpdir(), 'lumen-bench-home-'));
  if (process.env['LUMEN_BENCH_HOSPITAL_PAGES_ONLY'] === '1') return benchMetricPages(count, repeats);
  const model = bundled ? null : writeArchiveClassifier(mkdtempSync(join(tmpdir(), 'lumen-bench-hospital-model-')));
  const modelName = bundled ? 'the bundled MobileNetV2, 224 x 224' : 'a small CNN for 32 x 32 images (bench/archive-classifier.ts)';
  console.log(`\nHospital scale: ${count} images (16 distinct 32 x 32 PNGs, hard-linked), 16 shards, gradient with ${modelName}`);
  const made = performance.now();
  const data = await syntheticArchive(count);
  console.log(`  archive written in ${ms(performance.now() - made)}`);

  const { project, importMs } = await importedProject(data);
  const bytes = statSync(join(project, 'project.db')).size;
  console.log(`  import: ${(importMs / 1000).toFixed(1)} s (${((count / importMs) * 1000).toFixed(0)} images/s); project.db ${(bytes / 1e6).toFixed(1)} MB, ${(bytes / count).toFixed(0)} bytes per image`);

  const engine = new Engine({ graphCacheDir: null });
  try {
    const context = { requestId: 'bench', signal: new AbortController().signal };
    const t0 = performance.now();
    await engine.handlers['datasets.images'](DatasetImagesParams.parse({ project, dataset }), context);
    console.log(`  first request (opens and checks the project): ${ms(performance.now() - t0)}`);
    console.log('Pages of 200 without a run (engine, kept open, vs reopening per request):');
    await timePages(engine, project, pagesOf(count, ['path', 'label', 'series'], undefined), repeats);

    execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
    // The same project audited by one process, for the equality check: a copy made before the shards.
    const single = join(mkdtempSync(join(tmpdir(), 'lumen-bench-hospital-one-')), 'hospital');
    cpSync(project, single, { recursive: true });
    const auditMs = await shardAudits(project, model, audited);
    const which = audited === count ? `all ${count}` : `the first ${audited}`;
    console.log(`Shards: 16 processes audited ${which} images in ${(auditMs / 1000).toFixed(1)} s wall (${((audited / auditMs) * 1000).toFixed(1)} images/s, model loading and graph compiling included)`);
    if (audited < count) {
      const fill = performance.now();
      const copied = completeShards(project);
      console.log(`  completed the shards' outputs with ${copied} copies of those real results (synthetic, not audited) in ${((performance.now() - fill) / 1000).toFixed(1)} s`);
    }
    const m0 = performance.now();
    const counts = await mergeShards(project);
    const mergeMs = performance.now() - m0;
    console.log(`  merge of ${counts.shards} shards: ${counts.added} results added in ${(mergeMs / 1000).toFixed(1)} s (${((counts.added / mergeMs) * 1000).toFixed(0)} results/s; maps hard-linked where shards and project share a disk, else copied)`);
    const runId = Number((new Database(join(project, 'project.db'), { readonly: true }).prepare('SELECT max(id) AS id FROM runs').get() as { id: number }).id);
    // The first page after the merge: nothing the engine keeps until the data changes is known yet.
    const first = performance.now();
    const withRun = await engine.handlers['datasets.images'](DatasetImagesParams.parse({ project, dataset, runId, limit: 200, sort: 'predicted' }), context);
    const firstMs = performance.now() - first;
    const metric = withRun.metricColumns[0];
    console.log(`Pages of 200 with the merged run ${runId} (${withRun.metricColumns.length} metric columns; the first, by predicted label, right after the merge: ${ms(firstMs)}):`);
    await timePages(engine, project, pagesOf(count, ['path', 'label', 'predicted', 'confidence', ...(metric ? [metric] : [])], runId), repeats);
    if (metric) {
      console.log('The metric sort (engine, kept open) vs the sorting query it replaced:');
      await timeMetricPages(engine, project, runId, [metric], count, repeats);
    }

    const o0 = performance.now();
    const code = await lumen(auditArgs(single, model, checked));
    if (code !== 0) throw new Error(`the single-process audit exited with ${code}`);
    const oneMs = performance.now() - o0;
    const images = auditedImages(project, checked);
    const a = resultsOf(single, images);
    const b = resultsOf(project, images);
    const equal = a.length === checked && a.length === b.length && a.every((row, k) => row === b[k]);
    console.log(`Equality: the first ${checked} audited images, 16 shard processes merged ${equal ? 'EQUAL' : 'DIFFER FROM'} one process (image, class, score, metrics; the one process took ${(oneMs / 1000).toFixed(1)} s wall)`);
  } finally {
    closeKeptProjects();
    await engine.dispose();
  }
}
