/**
 * The attention family on ViT-B/16 (224 x 224, seeded random weights, CPU) against a plain
 * forward pass of the same model in the same process: attention rollout (one forward),
 * generic attention (one forward and one backward through the tapped gradient graph) and
 * transformer attribution (one run of the gradient and AttnLRP graphs merged: one forward, two
 * backward passes). Rounds are
 * interleaved (forward, then each method, then forward again...) so that load from other work
 * on the machine falls on all of them alike; medians of the rounds and their ratios to the
 * forward are printed. Compiling is excluded (done once before the rounds, cached on disk).
 * Needs bench/torch_baseline.py's ViT-B/16 export (made with /usr/bin/python3 when missing).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createApi } from '../src/shared/contract/api';
import { PortTransport } from '../src/shared/contract/port-transport';
import { localEnginePort } from '../src/main/engine-host/local-engine';
import { OrtTensor } from '../src/main/engine/runtime/onnxruntime';
import { summarize } from './stats';

const python = '/usr/bin/python3';
const allMethods = ['attention-rollout', 'attention-generic', 'transformer-attribution'];

/** LUMEN_BENCH_ROUNDS (default 5) and LUMEN_BENCH_METHODS (comma-separated ids) narrow it. */
export async function benchAttentionMethods(rounds = Number(process.env.LUMEN_BENCH_ROUNDS ?? 5)): Promise<void> {
  const methods = process.env.LUMEN_BENCH_METHODS ? allMethods.filter((m) => process.env.LUMEN_BENCH_METHODS!.split(',').includes(m)) : allMethods;
  const dir = join('.lumen-cache', 'bench');
  const modelPath = join(dir, 'vit_b_16.onnx');
  if (!existsSync(modelPath)) {
    if (spawnSync(python, ['-c', 'import torch, torchvision'], { encoding: 'utf8' }).status !== 0) {
      console.log('attention: skipped: needs /usr/bin/python3 with torch and torchvision to export ViT-B/16');
      return;
    }
    mkdirSync(dir, { recursive: true });
    execFileSync(python, ['bench/torch_baseline.py', 'export', modelPath, '--model', 'vit_b_16']);
  }
  // Compiled graphs are kept on disk: compiling ViT-B/16's backward takes minutes on a busy machine.
  const local = localEnginePort({ graphCacheDir: join(dir, 'graphs') });
  const api = createApi(new PortTransport(local.port));
  const opened = performance.now();
  const model = await api.call('models.open', { path: modelPath, executionProvider: 'cpu', card: { preprocess: { resize: { mode: 'stretch' } } } });
  console.error(`  (ViT-B/16 opened in ${(performance.now() - opened).toFixed(0)} ms)`);
  const input = new Float32Array(3 * 224 * 224).map((_, i) => ((i * 7919) % 1000) / 1000);
  const tensor = { kind: 'tensor' as const, dims: [1, 3, 224, 224], data: input };
  const loaded = local.engine.models.get(model.id);
  const forward = async (): Promise<number> => {
    const t0 = performance.now();
    await loaded.session.run({ input: new OrtTensor('float32', input, [1, 3, 224, 224]) });
    return performance.now() - t0;
  };
  const attribute = (method: string) => api.call('attribute', { modelId: model.id, input: tensor, method, target: 3, params: {} });

  // Warm-up: compiles each method's graphs once (reported), and a first forward.
  const compiled: Record<string, number> = {};
  for (const method of methods) {
    compiled[method] = (await attribute(method)).timings.compileMs;
    console.error(`  (warm-up: ${method} compiled in ${compiled[method]!.toFixed(0)} ms)`);
  }
  await forward();

  const samples: Record<string, number[]> = { forward: [] };
  const runs: Record<string, number> = {};
  for (const method of methods) samples[method] = [];
  for (let round = 0; round < rounds; round++) {
    samples.forward!.push(await forward());
    for (const method of methods) {
      const result = await attribute(method);
      samples[method]!.push(result.timings.computeMs);
      runs[method] = result.graphRuns;
    }
  }
  const base = summarize(samples.forward!).median;
  console.log(`attention methods on ViT-B/16 (CPU, 224 x 224, batch 1; medians of ${rounds} interleaved rounds; compile excluded):`);
  console.log(`  plain forward (onnxruntime session): ${base.toFixed(0)} ms`);
  for (const method of methods) {
    const median = summarize(samples[method]!).median;
    console.log(`  ${method}: ${median.toFixed(0)} ms = ${(median / base).toFixed(2)} x forward, ${runs[method]} onnxruntime run(s) [compile ${compiled[method]!.toFixed(0)} ms, once]`);
  }
  await local.close();
}
