/**
 * Integrated Gradients (32 steps) on a torchvision classifier at 224 x 224 on the CPU (ResNet-18 or
 * ViT-B/16, seeded random weights): Lumen's compute time
 * against PyTorch doing the same 32 forward + backward passes, measured in the same run. Also the
 * backward/forward cost ratio and peak memory. Needs /usr/bin/python3 with torch and torchvision
 * (Debian packages) to export the model and time the baseline; says so and stops otherwise.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createApi } from '../src/shared/contract/api';
import { PortTransport } from '../src/shared/contract/port-transport';
import { localEnginePort } from '../src/main/engine-host/local-engine';
import { gradientRuleSet } from '../src/main/engine/autodiff/rule-set';
import { OrtTensor } from '../src/main/engine/runtime/onnxruntime';
import { summarize, time } from './stats';
import { python, torchEnvironment, unfairBlas } from './torch-worker';

export type TorchModel = 'resnet18' | 'vit_b_16';

export async function benchIgVsTorch(name: TorchModel, repeat = 5): Promise<void> {
  const label = `ig-${name.replaceAll('_', '')}`;
  const dir = join('.lumen-cache', 'bench');
  const modelPath = join(dir, `${name}.onnx`);
  const probe = spawnSync(python, ['-c', 'import torch, torchvision'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.log(`${label}: skipped: needs /usr/bin/python3 with torch and torchvision (apt-get install python3-torch python3-torchvision)`);
    return;
  }
  mkdirSync(dir, { recursive: true });
  if (!existsSync(modelPath)) execFileSync(python, ['bench/torch_baseline.py', 'export', modelPath, '--model', name]);

  const torch = JSON.parse(execFileSync(python, ['bench/torch_baseline.py', 'time', '--steps', '32', '--repeat', String(repeat), '--model', name], { encoding: 'utf8', env: torchEnvironment() })) as {
    threads: number;
    blas: string[];
    forwardMs: number;
    forwardBackwardMs: number;
    igPassesMs: number;
    maxRssMiB: number;
  };

  const local = localEnginePort({ graphCacheDir: null });
  const api = createApi(new PortTransport(local.port));
  const model = await api.call('models.open', {
    path: modelPath,
    executionProvider: 'cpu',
    card: { preprocess: { resize: { mode: 'stretch' } } },
  });
  const input = new Float32Array(3 * 224 * 224).map((_, i) => ((i * 7919) % 1000) / 1000);
  const tensor = { kind: 'tensor' as const, dims: [1, 3, 224, 224], data: input };

  // Lumen end to end: IG with 32 riemann-trapezoid points (plus the 2 endpoint rows of its completeness check).
  const ig = await api.call('attribute', { modelId: model.id, input: tensor, method: 'integrated-gradients', target: 3, params: { steps: 32, stepRule: 'riemann-trapezoid' }, repeat });

  // The floor: exactly the 32 forward + backward passes, through the same compiled graph.
  const loaded = local.engine.models.get(model.id);
  const { graph } = await local.engine.attributions.graphFor(loaded, gradientRuleSet, 'logit', {});
  const rows = Array.from({ length: 32 }, (_, k) => ({ input: input.map((v) => (v * k) / 31) }));
  const seed = graph.seedFor(3);
  const passes = summarize(await time(() => graph.run(rows, seed), repeat, 1));
  const forward = summarize(await time(() => loaded.session.run({ input: new OrtTensor('float32', input, [1, 3, 224, 224]) }), repeat * 4, 2));
  const single = summarize(await time(() => graph.run([{ input }], seed), repeat * 4, 2));
  const rssMiB = process.resourceUsage().maxRSS / 1024;

  console.log(`${label} (CPU, ${graph.rowsPerRun} rows per run; torch ${torch.threads} threads, BLAS ${torch.blas.join(', ') || 'none loaded'}):`);
  const unfair = unfairBlas(torch.blas);
  if (unfair !== null) console.log(`  note: ${unfair}`);
  console.log(`  Lumen IG-32 computeMs (median of ${repeat}): ${ig.timings.computeMs.toFixed(0)} ms  [compile ${ig.timings.compileMs.toFixed(0)} ms, once]`);
  console.log(`  Lumen 32 forward+backward passes: ${passes.median.toFixed(0)} ms`);
  console.log(`  PyTorch 32 forward+backward passes (batched as Captum): ${torch.igPassesMs.toFixed(0)} ms`);
  console.log(`  ratio IG computeMs / PyTorch: ${(ig.timings.computeMs / torch.igPassesMs).toFixed(2)}   ratio passes / PyTorch: ${(passes.median / torch.igPassesMs).toFixed(2)}`);
  console.log(`  one forward: Lumen ${forward.median.toFixed(1)} ms, PyTorch ${torch.forwardMs.toFixed(1)} ms`);
  console.log(`  one forward+backward: Lumen ${single.median.toFixed(1)} ms, PyTorch ${torch.forwardBackwardMs.toFixed(1)} ms`);
  console.log(`  backward / forward: Lumen ${((single.median - forward.median) / forward.median).toFixed(2)}, PyTorch ${((torch.forwardBackwardMs - torch.forwardMs) / torch.forwardMs).toFixed(2)}`);
  console.log(`  peak memory (max RSS): Lumen process ${rssMiB.toFixed(0)} MiB, PyTorch process ${torch.maxRssMiB.toFixed(0)} MiB`);
  console.log(`  IG completeness error: ${ig.figures['completenessError']?.toPrecision(3)} (of f(x) - f(x') = ${ig.figures['outputDifference']?.toPrecision(4)})`);
  await local.close();
}
