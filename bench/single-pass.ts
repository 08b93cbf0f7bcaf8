/**
 * Single-pass methods on ResNet-18 at 224 x 224, one image, on the CPU: Lumen's compute time for
 * gradient, guided backprop and Grad-CAM, plus the floors under them (one forward through the
 * model's session, one forward + backward through the compiled gradient graph), against PyTorch
 * autograd doing the same work on the same machine.
 *
 * Under load the machine's speed drifts, so the benchmark runs in rounds: each round times PyTorch
 * (`bench/torch_baseline.py time`, its own process) and then Lumen, and the ratios of a round use
 * only that round's numbers; the printed ratio is the median over rounds.
 *
 * The PyTorch work each Lumen figure is compared with:
 *   forward                 one `torch.no_grad()` forward
 *   forward + backward      one forward and one backward of the target logit to the input (Captum's Saliency)
 *   gradient                the same (Captum's Saliency)
 *   guided backprop         the same (Captum's GuidedBackprop adds a ReLU hook, so this is its floor)
 *   Grad-CAM                one forward only: Captum's LayerGradCam backpropagates only from the
 *                           logit to layer4, which costs little next to the forward, so the forward
 *                           is a strict lower bound of its time
 *
 * With one thread (`LUMEN_BENCH_THREADS=1`) it also prints the same work in CPU time, which a busy
 * machine barely changes, against bench/torch_cpu_time.py.
 *
 * `LUMEN_BENCH_ROUNDS` (default 3) and `LUMEN_BENCH_REPEAT` (default 5, per round) set the size;
 * `LUMEN_BENCH_THREADS` (default: one per core) the threads of both onnxruntime and PyTorch.
 * PyTorch's OpenMP threads wait passively (OMP_WAIT_POLICY=PASSIVE and OPENBLAS_THREAD_TIMEOUT=4 unless set, as in `peers`):
 * spinning, they lose far more to a busy machine than onnxruntime does (ResNet-18 forward +
 * backward took PyTorch 3.9 s with 2 spinning threads at a load of 15 on 2 cores), which would
 * flatter Lumen.
 * Needs /usr/bin/python3 with torch and torchvision; says so and stops otherwise.
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
import { torchEnvironment, torchWaitDescription, unfairBlas } from './torch-worker';

const python = '/usr/bin/python3';

interface TorchTimes {
  threads: number;
  forwardMs: number;
  forwardBackwardMs: number;
  blas: string[];
}

/** What each row of the table times in Lumen, and which PyTorch time it is held against. */
interface Row {
  label: string;
  baseline: keyof Pick<TorchTimes, 'forwardMs' | 'forwardBackwardMs'>;
  lumen: number[];
  torch: number[];
}

const median = (values: number[]): number => summarize(values).median;

export async function benchSinglePass(rounds = Number(process.env['LUMEN_BENCH_ROUNDS'] ?? 3), repeat = Number(process.env['LUMEN_BENCH_REPEAT'] ?? 5)): Promise<void> {
  const probe = spawnSync(python, ['-c', 'import torch, torchvision'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.log('single-pass: skipped: needs /usr/bin/python3 with torch and torchvision (apt-get install python3-torch python3-torchvision)');
    return;
  }
  const dir = join('.lumen-cache', 'bench');
  const modelPath = join(dir, 'resnet18.onnx');
  mkdirSync(dir, { recursive: true });
  if (!existsSync(modelPath)) execFileSync(python, ['bench/torch_baseline.py', 'export', modelPath, '--model', 'resnet18']);

  const threads = Number(process.env['LUMEN_BENCH_THREADS'] ?? 0);
  const local = localEnginePort({ graphCacheDir: null, threads });
  const api = createApi(new PortTransport(local.port));
  const model = await api.call('models.open', { path: modelPath, executionProvider: 'cpu', card: { preprocess: { resize: { mode: 'stretch' } } } });
  const input = new Float32Array(3 * 224 * 224).map((_, i) => ((i * 7919) % 1000) / 1000);
  const tensor = { kind: 'tensor' as const, dims: [1, 3, 224, 224], data: input };
  const target = 3;
  const loaded = local.engine.models.get(model.id);
  const { graph } = await local.engine.attributions.graphFor(loaded, gradientRuleSet, 'logit', {});
  const seed = graph.seedFor(target);
  const forward = () => loaded.session.run({ [loaded.resolved.card.input.name]: new OrtTensor('float32', input, [1, 3, 224, 224]) });
  const methodMs = async (method: string): Promise<number> =>
    (await api.call('attribute', { modelId: model.id, input: tensor, method, target, repeat })).timings.computeMs;
  // Compile every graph once before timing, so no round pays for it.
  for (const method of ['gradient', 'guided-backprop', 'grad-cam']) await api.call('attribute', { modelId: model.id, input: tensor, method, target });

  const rows: Row[] = [
    { label: 'forward (model session)', baseline: 'forwardMs', lumen: [], torch: [] },
    { label: 'forward + backward (gradient graph)', baseline: 'forwardBackwardMs', lumen: [], torch: [] },
    { label: 'gradient (computeMs)', baseline: 'forwardBackwardMs', lumen: [], torch: [] },
    { label: 'guided backprop (computeMs)', baseline: 'forwardBackwardMs', lumen: [], torch: [] },
    { label: 'Grad-CAM (computeMs)', baseline: 'forwardMs', lumen: [], torch: [] },
  ];
  let torchThreads = 0;
  for (let round = 0; round < rounds; round++) {
    // --steps 1: the script's IG batch is then one more forward + backward, which we do not use.
    const torch = JSON.parse(
      execFileSync(
        python,
        ['bench/torch_baseline.py', 'time', '--steps', '1', '--repeat', String(repeat), '--target', String(target), '--model', 'resnet18', ...(threads > 0 ? ['--threads', String(threads)] : [])],
        { encoding: 'utf8', env: torchEnvironment() },
      ),
    ) as TorchTimes;
    torchThreads = torch.threads;
    const unfair = unfairBlas(torch.blas);
    if (unfair !== null && round === 0) console.log(`  note: ${unfair}`);
    const lumen = [
      median(await time(forward, repeat, 1)),
      median(await time(() => graph.run([{ input }], seed), repeat, 1)),
      await methodMs('gradient'),
      await methodMs('guided-backprop'),
      await methodMs('grad-cam'),
    ];
    rows.forEach((row, i) => {
      row.lumen.push(lumen[i]!);
      row.torch.push(torch[row.baseline]);
    });
    console.log(`  round ${round + 1}/${rounds}: Lumen ${lumen.map((ms) => ms.toFixed(1)).join(' / ')} ms; PyTorch forward ${torch.forwardMs.toFixed(1)}, forward + backward ${torch.forwardBackwardMs.toFixed(1)} ms`);
  }

  printTable(
    `single-pass (ResNet-18, 224 x 224, one image, CPU; ${rounds} rounds of ${repeat} runs each, medians; onnxruntime ${threads || 'default'} threads, PyTorch ${torchThreads} with ${torchWaitDescription()}, in its own process between Lumen's runs):`,
    rows,
  );

  if (threads === 1) {
    // Wall times on a busy machine vary several-fold from round to round; the CPU time a call
    // uses on one thread barely moves. Lumen's methods here are whole `attribute` requests.
    const cpuRows: Row[] = rows.map((row) => ({ ...row, label: row.label.replace('(computeMs)', '(request)'), lumen: [], torch: [] }));
    const request = (method: string) => () => api.call('attribute', { modelId: model.id, input: tensor, method, target });
    const work = [forward, () => graph.run([{ input }], seed), request('gradient'), request('guided-backprop'), request('grad-cam')];
    for (let round = 0; round < rounds; round++) {
      const torch = JSON.parse(execFileSync(python, ['bench/torch_cpu_time.py', '--repeat', String(repeat), '--target', String(target)], { encoding: 'utf8' })) as TorchTimes;
      const samples: number[][] = work.map(() => []);
      // Alternated within the round, so a change of load hits every item alike.
      for (let r = 0; r < repeat; r++) for (const [i, fn] of work.entries()) samples[i]!.push(await cpuMs(fn));
      cpuRows.forEach((row, i) => {
        row.lumen.push(median(samples[i]!));
        row.torch.push(torch[row.baseline]);
      });
    }
    printTable(`single-pass, CPU time on one thread (process time; ${rounds} rounds of ${repeat} alternated runs, medians; PyTorch: bench/torch_cpu_time.py):`, cpuRows);
  }
  await local.close();
}

async function cpuMs(fn: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

function printTable(title: string, rows: Row[]): void {
  console.log(title);
  console.log(`  ${'work'.padEnd(38)} ${'Lumen ms'.padStart(9)} ${'PyTorch ms'.padStart(11)}  ratio (median of per-round ratios)`);
  for (const row of rows) {
    const ratios = row.lumen.map((l, i) => l / row.torch[i]!);
    const against = row.baseline === 'forwardMs' ? 'forward' : 'forward+backward';
    console.log(`  ${row.label.padEnd(38)} ${median(row.lumen).toFixed(1).padStart(9)} ${median(row.torch).toFixed(1).padStart(11)}  ${median(ratios).toFixed(2)}  (vs PyTorch ${against}; rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')})`);
  }
}
