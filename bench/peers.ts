/**
 * Every attribution method against its fastest peer (issue 20): for each model (ResNet-18,
 * DenseNet-121, ViT-B/16 at 224 x 224, seeded random weights, CPU), method and batch (1 and 32),
 * Lumen's time against PyTorch autograd doing the peer's work (bench/peer_methods.py: Captum,
 * pytorch-grad-cam, Zennit, ... batched as they batch), in the same run.
 *
 * Lumen at batch 1 is the `attribute` request's computeMs; at a larger batch it is the engine's
 * batch path, AttributionService.attributeInputs (what robustness metrics and audits use: chunks of
 * 16 images through each method's attributeMany), timed around the call. Repetitions alternate
 * between Lumen and the PyTorch worker (a persistent process), and the order flips each time, so
 * that load on this shared machine hits both; each side is warmed up (`warmupRuns`: twice at batch
 * 1, once at 32; compilation excluded; on at most `warmupImages` images: what warms is the kernels
 * and graphs, not the batch, and a batch of 32 takes minutes) and the table gives medians and their
 * ratio (below 0.7 meets the goal).
 *
 * PyTorch's OpenMP threads wait passively (OMP_WAIT_POLICY=PASSIVE unless set): spinning, they
 * are up to ten times slower on a shared, loaded machine, which would flatter Lumen. Its OpenBLAS
 * threads sleep at once after each call (OPENBLAS_THREAD_TIMEOUT=4 unless set): by default they
 * spun for ~90 ms after every answer, on one of the two cores the next Lumen run needed. It runs
 * rows in passes of LUMEN_BENCH_TORCH_ROWS (default 1, its fastest there; see bench/peer_methods.py).
 *
 * Then peak memory: Lumen (a child process of its own) and a fresh PyTorch process each doing
 * IG-32 on a batch of 32 images (PyTorch in passes of 32 rows, as Captum's internal_batch_size =
 * steps), run side by side (time is not compared there).
 *
 * Filters (command line `npx tsx bench/peers.ts --models=resnet18 --methods=gradient,grad-cam
 * --batches=1 --repeat=3 --memory=none`, or LUMEN_BENCH_MODELS, _METHODS, _BATCHES, _REPEAT,
 * _MEMORY): ViT-B/16 at batch 32 takes many minutes on two cores. The table is also written to
 * .lumen-cache/bench/peers.json. Needs /usr/bin/python3 with torch and torchvision; says so and
 * stops otherwise.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { createApi } from '../src/shared/contract/api';
import { PortTransport } from '../src/shared/contract/port-transport';
import { localEnginePort } from '../src/main/engine-host/local-engine';
import { benchImage, casesFor, type PeerCase } from './peer-cases';
import { formatTable, parseSelection, peerRow, type PeerModel, type PeerRow, type Selection } from './peers-table';
import { python, TorchWorker, torchThreadTimeout, torchWaitDescription, torchWaitPolicy, unfairBlas } from './torch-worker';

const execFileAsync = promisify(execFile);
const dir = join('.lumen-cache', 'bench');
const target = 3;

function modelPath(name: string): string {
  const path = join(dir, `${name}.onnx`);
  if (!existsSync(path)) execFileSync(python, ['bench/torch_baseline.py', 'export', path, '--model', name], { stdio: 'inherit' });
  return path;
}

type Local = ReturnType<typeof localEnginePort>;

/** One timed Lumen run of a case on `batch` images (see the header for the two paths). */
async function lumenOnce(local: Local, api: ReturnType<typeof createApi>, modelId: string, c: PeerCase, images: Float32Array[]): Promise<number> {
  if (images.length === 1) {
    const input = { kind: 'tensor' as const, dims: [1, 3, 224, 224], data: images[0]! };
    const result = await api.call('attribute', { modelId, input, method: c.method, target, params: c.params, repeat: 1 });
    return result.timings.computeMs;
  }
  const loaded = local.engine.models.get(modelId);
  const t0 = performance.now();
  const maps = await local.engine.attributions.attributeInputs(loaded, images, c.method, target, c.params, {});
  const ms = performance.now() - t0;
  if (maps.length !== images.length) throw new Error(`${c.method} gave ${maps.length} maps for ${images.length} images`);
  return ms;
}

/** Images in each side's untimed warm-up run (two, so that a batch's own path is the one warmed). */
const warmupImages = 2;

/**
 * Untimed warm-up runs per side: two at batch 1, where one is not enough on either side
 * (onnxruntime's memory pattern is planned on the first run and its block is first touched on the
 * second: ViT-B/16's gradient ran 730, 726, then 324, 312, 305 ms; Grad-CAM 4809 with compiling,
 * 226, then 137, 122, 124 ms); one at batch 32, whose runs take minutes and amortise it.
 */
const warmupRuns = (batch: number): number => (batch === 1 ? 2 : 1);

async function compare(local: Local, api: ReturnType<typeof createApi>, torch: TorchWorker, model: PeerModel, modelId: string, c: PeerCase, batch: number, repeat: number): Promise<PeerRow> {
  const base = { method: c.method, model, batch, lumenPath: batch === 1 ? 'attribute request' : 'engine batch path (attributeInputs)' };
  const images = Array.from({ length: batch }, (_, b) => benchImage(b));
  const request = { model, method: c.method, batch, params: c.params, repeat: 1, target, warmupBatch: warmupImages, warmupRuns: warmupRuns(batch) };
  const lumenRuns: number[] = [];
  const torchRuns: number[] = [];
  try {
    for (let w = 0; w < warmupRuns(batch); w++) await lumenOnce(local, api, modelId, c, images.slice(0, warmupImages)); // the first compiles the graphs; untimed
    for (let r = 0; r < repeat; r++) {
      const lumen = async (): Promise<void> => void lumenRuns.push(await lumenOnce(local, api, modelId, c, images));
      const peer = async (): Promise<void> => void torchRuns.push((await torch.run(request)).ms); // the worker warms up on first sight
      if (r % 2 === 0) {
        await lumen();
        await peer();
      } else {
        await peer();
        await lumen();
      }
    }
    return peerRow(base, lumenRuns, torchRuns);
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
    return peerRow(base, lumenRuns, torchRuns, message);
  }
}

const settleMs = 200;

interface Leftover {
  torchMs: number | null;
  lumenMs: number;
}

/**
 * The CPU each side keeps using after it answered (one more gradient each, then `settleMs` idle):
 * the sides take turns on the same cores, so work left running (threads spinning, memory being
 * freed) would be charged to the other side's next run. Both should be near 0.
 */
async function leftoverCpu(torch: TorchWorker, model: PeerModel, lumenGradient: () => Promise<void>): Promise<Leftover> {
  const sleep = () => new Promise((resolve) => setTimeout(resolve, settleMs));
  await torch.run({ model, method: 'gradient', batch: 1, params: {}, repeat: 1, target });
  const t0 = torch.cpuMs();
  await sleep();
  const t1 = torch.cpuMs();
  await lumenGradient();
  const l0 = process.cpuUsage();
  await sleep();
  const l1 = process.cpuUsage(l0);
  return { torchMs: t0 === null || t1 === null ? null : t1 - t0, lumenMs: (l1.user + l1.system) / 1000 };
}

export interface PeakMemory {
  model: string;
  batch: number;
  steps: number;
  lumen: { startMiB: number; peakMiB: number; ms: number };
  torch: { startMiB: number; peakMiB: number; ms: number };
}

/**
 * Peak RSS of Lumen (own process) and of PyTorch (fresh process) for IG-32 at batch 32, side by
 * side. PyTorch batches as Captum with internal_batch_size = steps (32 rows a pass), whatever rows
 * per pass the timings use: one row at a time would be a different, smaller job for memory.
 */
async function peakMemory(model: PeerModel, batch = 32, steps = 32): Promise<PeakMemory> {
  const path = modelPath(model);
  const torch = new TorchWorker({ rowsPerPass: steps });
  const torchSide = (async () => {
    const loaded = await torch.run({ model, method: 'load', batch: 0, params: {}, repeat: 0, target });
    const done = await torch.run({ model, method: 'integrated-gradients', batch, params: { steps }, repeat: 1, target, warmup: false });
    await torch.close();
    return { startMiB: loaded.rssMiB, peakMiB: done.maxRssMiB, ms: done.ms };
  })();
  const lumenSide = execFileAsync(process.execPath, ['--import', 'tsx', 'bench/peers-memory-child.ts', path, String(batch), String(steps)], { encoding: 'utf8', maxBuffer: 1 << 24 }).then(
    ({ stdout }) => JSON.parse(stdout.trim().split('\n').pop()!) as PeakMemory['lumen'],
  );
  return { model, batch, steps, lumen: await lumenSide, torch: await torchSide };
}

export async function benchPeers(selection: Selection = parseSelection([], process.env)): Promise<void> {
  const probe = spawnSync(python, ['-c', 'import torch, torchvision'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.log('peers: skipped: needs /usr/bin/python3 with torch and torchvision (apt-get install python3-torch python3-torchvision)');
    return;
  }
  mkdirSync(dir, { recursive: true });
  const load = loadavg()[0]!;
  console.log(`peers: every method against its fastest peer, CPU (${cpus().length} cores, load ${load.toFixed(1)}), median of ${selection.repeat} interleaved runs each side`);
  const torch = new TorchWorker();
  const local = localEnginePort({ graphCacheDir: null });
  const api = createApi(new PortTransport(local.port));
  const rows: PeerRow[] = [];
  let torchInfo: { threads: number; blas: string[] } | null = null;
  let leftover: Leftover | null = null;
  for (const model of selection.models as PeerModel[]) {
    const opened = await api.call('models.open', { path: modelPath(model), executionProvider: 'cpu', card: { preprocess: { resize: { mode: 'stretch' } } } });
    if (torchInfo === null) {
      torchInfo = await torch.run({ model, method: 'gradient', batch: 1, params: {}, repeat: 1, target });
      const unfair = unfairBlas(torchInfo.blas);
      if (unfair !== null) {
        console.log(`peers: stopped: ${unfair}`);
        await torch.close();
        await local.close();
        return;
      }
      console.log(`  PyTorch: BLAS ${torchInfo.blas.join(', ') || 'none loaded'}`);
      leftover = await leftoverCpu(torch, model, async () => void (await api.call('attribute', { modelId: opened.id, input: { kind: 'tensor', dims: [1, 3, 224, 224], data: benchImage(0) }, method: 'gradient', target })));
      console.log(`  CPU still used in the ${settleMs} ms after an answer (work left running slows the other side's next run): PyTorch ${leftover.torchMs ?? '?'} ms, Lumen ${leftover.lumenMs.toFixed(0)} ms`);
    }
    for (const c of casesFor(model, selection.methods)) {
      for (const batch of selection.batches) {
        const row = await compare(local, api, torch, model, opened.id, c, batch, selection.repeat);
        rows.push(row);
        const shown = row.error ? `error: ${row.error}` : `Lumen ${row.lumenMs?.toFixed(0)} ms, PyTorch ${row.torchMs?.toFixed(0)} ms, ratio ${row.ratio?.toFixed(2)}`;
        console.log(`  ${c.method} ${model} batch ${batch}: ${shown}`);
      }
    }
  }
  await torch.close();
  await local.close();
  console.log(`PyTorch: ${torchInfo?.threads ?? '?'} threads, ${torchWaitDescription()}, ${process.env['LUMEN_BENCH_TORCH_ROWS'] ?? '1'} row(s) per pass, BLAS ${torchInfo?.blas.join(', ') || 'none loaded'}`);
  console.log(formatTable(rows));

  let memory: PeakMemory | null = null;
  if (selection.memory !== null) {
    memory = await peakMemory(selection.memory as PeerModel);
    const { lumen: l, torch: t } = memory;
    console.log(`peak memory, IG-${memory.steps} on a batch of ${memory.batch} (${memory.model}), each in its own process, run side by side:`);
    console.log(`  Lumen engine: peak RSS ${l.peakMiB.toFixed(0)} MiB (${l.startMiB.toFixed(0)} MiB with the model open, +${(l.peakMiB - l.startMiB).toFixed(0)} MiB for the work)`);
    console.log(`  PyTorch:      peak RSS ${t.peakMiB.toFixed(0)} MiB (${t.startMiB.toFixed(0)} MiB with the model built, +${(t.peakMiB - t.startMiB).toFixed(0)} MiB for the work)`);
    console.log(`  ratio Lumen / PyTorch: peak ${(l.peakMiB / t.peakMiB).toFixed(2)}, work ${((l.peakMiB - l.startMiB) / (t.peakMiB - t.startMiB)).toFixed(2)}`);
  }
  const out = join(dir, 'peers.json');
  writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), cores: cpus().length, loadAverage: load, torch: { ...torchInfo, ompWaitPolicy: torchWaitPolicy(), openblasThreadTimeout: torchThreadTimeout(), rowsPerPass: Number(process.env['LUMEN_BENCH_TORCH_ROWS'] ?? '1') }, leftoverCpuMs: leftover, selection, rows, memory }, null, 2)}\n`);
  console.log(`written to ${out}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchPeers(parseSelection(process.argv.slice(2), process.env));
