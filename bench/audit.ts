/**
 * Dataset audit throughput on the default model, CPU, in images per second: Grad-CAM with the
 * deletion and insertion curves, and Integrated Gradients with 32 steps, each batched (the
 * default: images share attribution runs, the next batch decodes while this one computes) and one
 * image at a time (batch size 1, a path the product keeps), against the raw forward throughput of
 * the same model on the same images (one onnxruntime run over all of them) in the same run. The
 * gap between an audit and the forward rate is the audit's own work: the method's passes, the
 * metrics' passes, decoding, storage. Repetitions are interleaved (forward, batched, one at a time,
 * in turn), and every figure is a median.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditParams } from '../src/shared/contract/audit';
import { OpenModelParams } from '../src/shared/contract/requests';
import { Engine } from '../src/main/engine/engine';
import { gradientRuleSet } from '../src/main/engine/autodiff/rule-set';
import { inspectImage } from '../src/main/engine/image/image-source';
import { inputDims, preprocess } from '../src/main/engine/image/preprocess';
import { runAudit } from '../src/main/engine/project/audit-job';
import { batchWorkMs, maxAuditBatch } from '../src/main/engine/project/audit-batch-size';
import { importFolder } from '../src/main/engine/project/dataset-import';
import { JobControls } from '../src/main/engine/project/job-controls';
import { ProjectStore } from '../src/main/engine/project/project-store';
import { OrtTensor } from '../src/main/engine/runtime/onnxruntime';
import { summarize } from './stats';

/** Each audit, and the passes its image needs at the least (a classification, the method's, the metrics'). */
const configurations = [
  {
    name: 'Grad-CAM + deletion/insertion',
    method: 'grad-cam',
    params: {},
    metrics: [{ metric: 'deletion' }, { metric: 'insertion' }],
    work: 'needs 1 + 1 forward and a partial backward, and 2 x 101 forward passes for the curves',
  },
  { name: 'IG-32', method: 'integrated-gradients', params: { steps: 32 }, metrics: [], work: 'needs 1 forward, and 34 forward and backward passes (32 path points, x, baseline)' },
] as const;

export async function benchAudit(copies = Number(process.env['LUMEN_BENCH_AUDIT_COPIES'] ?? 2), repeats = Number(process.env['LUMEN_BENCH_AUDIT_REPEATS'] ?? 2)): Promise<void> {
  process.env['LUMEN_HOME'] ??= mkdtempSync(join(tmpdir(), 'lumen-bench-home-'));
  const data = mkdtempSync(join(tmpdir(), 'lumen-bench-data-'));
  const photos = readdirSync('resources/samples').filter((f) => /\.(png|jpg)$/.test(f));
  for (let copy = 0; copy < copies; copy++) {
    mkdirSync(join(data, `copy-${copy}`));
    for (const f of photos) copyFileSync(join('resources/samples', f), join(data, `copy-${copy}`, f));
  }
  const count = copies * photos.length;
  const engine = new Engine({ graphCacheDir: null });
  const summary = await engine.handlers['models.open'](OpenModelParams.parse({ executionProvider: 'cpu' }), { requestId: 'bench', signal: new AbortController().signal });
  const model = engine.models.get(summary.id);
  const card = model.resolved.card;
  const services = { attributions: engine.attributions, evaluations: engine.evaluations, jobs: new JobControls() };

  // The same images as the model sees them, for the forward baseline.
  const inputs: Float32Array[] = [];
  for (let copy = 0; copy < copies; copy++) {
    for (const f of photos) inputs.push((await preprocess(await inspectImage(new Uint8Array(readFileSync(join(data, `copy-${copy}`, f))), f), card)).data);
  }
  const forward = await forwardOf(engine, model, inputs);

  const freshProject = async (): Promise<string> => {
    const project = join(mkdtempSync(join(tmpdir(), 'lumen-bench-')), 'study');
    const store = ProjectStore.open(project, { create: true });
    await importFolder(store, 'photos', data);
    store.close();
    return project;
  };
  const audit = async (configuration: (typeof configurations)[number], batchSize: number | undefined, limit?: number): Promise<number> => {
    const project = await freshProject();
    const request = { ...AuditParams.parse({ project, dataset: 'photos', modelId: model.id, method: configuration.method, params: configuration.params, metrics: configuration.metrics, ...(limit ? { limit } : {}) }), model, batchSize };
    const t0 = performance.now();
    const result = await runAudit(services, request);
    const seconds = (performance.now() - t0) / 1000;
    if (result.computed !== (limit ?? count)) throw new Error(`The audit computed ${result.computed} of ${limit ?? count} images.`);
    return result.computed / seconds;
  };

  // LUMEN_BENCH_AUDIT_BATCH fixes the batched runs' size; by default they size themselves as the product does.
  const fixed = process.env['LUMEN_BENCH_AUDIT_BATCH'] ? Number(process.env['LUMEN_BENCH_AUDIT_BATCH']) : undefined;
  const batching = fixed ? `batches of ${fixed}` : `batches of about ${batchWorkMs} ms of work (1 to ${maxAuditBatch} images)`;
  console.log(`audit throughput, default model, CPU, ${count} photos, ${batching} against one at a time; medians of ${repeats} interleaved runs:`);
  console.log(`  raw forward: ${forward.how}`);
  await forward.run();
  // LUMEN_BENCH_AUDIT_METHOD=grad-cam (or integrated-gradients) runs only that audit.
  const only = process.env['LUMEN_BENCH_AUDIT_METHOD'];
  for (const configuration of configurations.filter((c) => !only || c.method === only)) {
    // Compiled graphs warm on a throwaway audit of one image.
    await audit(configuration, 1, 1);
    const forwardRates: number[] = [];
    const batched: number[] = [];
    const single: number[] = [];
    for (let r = 0; r < repeats; r++) {
      forwardRates.push(count / ((await timed(forward.run)) / 1000));
      // Which mode goes first alternates, so neither always gets the quieter moment.
      const order = r % 2 === 0 ? ([batched, single] as const) : ([single, batched] as const);
      for (const into of order) into.push(await audit(configuration, into === batched ? fixed : 1));
    }
    const f = summarize(forwardRates).median;
    const b = summarize(batched).median;
    const s = summarize(single).median;
    console.log(`  ${configuration.name}: batched ${b.toFixed(2)} images/s, one at a time ${s.toFixed(2)} images/s (batched / one ${(b / s).toFixed(2)}x); raw forward ${f.toFixed(1)} images/s, so an audited image costs ${(f / b).toFixed(0)} forward passes' time batched, ${(f / s).toFixed(0)} one at a time (it ${configuration.work})`);
  }
  await engine.dispose();
}

/**
 * One onnxruntime run over all the images: the model's own session when it takes a batch, else the
 * compiled forward-only graph (the model with its batch axis made dynamic).
 */
async function forwardOf(engine: Engine, model: ReturnType<Engine['models']['get']>, inputs: Float32Array[]): Promise<{ how: string; run: () => Promise<unknown> }> {
  const card = model.resolved.card;
  const all = new Float32Array(inputs.reduce((n, i) => n + i.length, 0));
  inputs.forEach((input, i) => all.set(input, i * input.length));
  const session = model.session;
  const viaSession = () => session.run({ [card.input.name]: new OrtTensor('float32', all, inputDims(card, inputs.length)) }, [card.output.name]);
  try {
    await viaSession();
    return { how: `the model's session, ${inputs.length} images in one run`, run: viaSession };
  } catch {
    const { graph } = await engine.attributions.graphFor(model, gradientRuleSet, 'logit', { inputGradient: false });
    const seed = graph.seedFor(0);
    const viaGraph = () => graph.stream(inputs.length, (i) => ({ input: inputs[i]! }), seed, () => undefined);
    return { how: `the forward-only graph, ${graph.rowsPerRun} images per run`, run: viaGraph };
  }
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}
