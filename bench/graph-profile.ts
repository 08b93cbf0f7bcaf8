/**
 * Where the time of one compiled gradient graph goes (issue 20: "find where single-pass gradients
 * lose"): ResNet-18 (or LUMEN_BENCH_MODEL: densenet121, vit_b_16) at 224 x 224, one image, CPU.
 * onnxruntime's own profiler times every kernel of the optimised graph; the kernels are grouped
 * into the forward pass (the model's nodes), the backward pass (nodes Lumen's compiler added) and
 * layout changes onnxruntime inserted between its blocked (NCHWc) convolutions and the rest, then
 * by operator type. The model's own session (forward only) is timed alongside, interleaved, so the
 * backward's cost reads as a multiple of a forward pass.
 *
 * Profiling adds a little time to every kernel: the table's shares, not its totals, are the point;
 * the un-profiled times are printed above it. `LUMEN_BENCH_THREADS` sets onnxruntime's threads
 * (default: one per core, as the engine), `LUMEN_BENCH_REPEAT` the runs (default 20).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { createApi } from '../src/shared/contract/api';
import { PortTransport } from '../src/shared/contract/port-transport';
import { localEnginePort } from '../src/main/engine-host/local-engine';
import { gradientRuleSet } from '../src/main/engine/autodiff/rule-set';
import { withIntraOpThreads } from '../src/main/engine/runtime/intra-op-threads';
import { InferenceSession, OrtTensor } from '../src/main/engine/runtime/onnxruntime';
import { summarize } from './stats';
import { python } from './torch-worker';

/** One kernel's entry in onnxruntime's profile (Chrome trace format). */
const KernelEvent = z.object({
  cat: z.string(),
  name: z.string(),
  dur: z.number(),
  args: z.object({ op_name: z.string().optional() }).passthrough().optional(),
});

export type Phase = 'forward' | 'backward' | 'layout';

/**
 * The phase of an optimised node: onnxruntime keeps the original node's name (plus a suffix such as
 * `_nchwc` when it rewrote it); Lumen names every node it adds `lumen_...`; Reorder nodes are
 * onnxruntime's own layout changes.
 */
export function phaseOf(node: string, op: string): Phase {
  if (op === 'ReorderInput' || op === 'ReorderOutput') return 'layout';
  return node.startsWith('lumen_') ? 'backward' : 'forward';
}

export interface KernelTotals {
  /** Per phase, per operator type: milliseconds per run and kernel count per run. */
  byOp: Map<string, { phase: Phase; op: string; ms: number; count: number }>;
  byNode: Map<string, { op: string; ms: number }>;
  runs: number;
}

/** Sums an onnxruntime profile's kernel times over `runs` runs. */
export function kernelTotals(events: unknown[], runs: number): KernelTotals {
  const byOp: KernelTotals['byOp'] = new Map();
  const byNode: KernelTotals['byNode'] = new Map();
  for (const raw of events) {
    const parsed = KernelEvent.safeParse(raw);
    if (!parsed.success || parsed.data.cat !== 'Node' || !parsed.data.name.endsWith('_kernel_time')) continue;
    const op = parsed.data.args?.op_name ?? '?';
    const node = parsed.data.name.slice(0, -'_kernel_time'.length);
    const phase = phaseOf(node, op);
    const ms = parsed.data.dur / 1000 / runs;
    const key = `${phase}|${op}`;
    const entry = byOp.get(key) ?? { phase, op, ms: 0, count: 0 };
    entry.ms += ms;
    entry.count += 1 / runs;
    byOp.set(key, entry);
    const n = byNode.get(node) ?? { op, ms: 0 };
    n.ms += ms;
    byNode.set(node, n);
  }
  return { byOp, byNode, runs };
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

export async function benchGraphProfile(): Promise<void> {
  const name = process.env['LUMEN_BENCH_MODEL'] ?? 'resnet18';
  const repeat = Number(process.env['LUMEN_BENCH_REPEAT'] ?? 20);
  const threads = Number(process.env['LUMEN_BENCH_THREADS'] ?? 0);
  const dir = join('.lumen-cache', 'bench');
  mkdirSync(dir, { recursive: true });
  const modelPath = join(dir, `${name}.onnx`);
  if (!existsSync(modelPath)) execFileSync(python, ['bench/torch_baseline.py', 'export', modelPath, '--model', name], { stdio: 'inherit' });

  const local = localEnginePort({ graphCacheDir: null, threads });
  const api = createApi(new PortTransport(local.port));
  const opened = await api.call('models.open', { path: modelPath, executionProvider: 'cpu', card: { preprocess: { resize: { mode: 'stretch' } } } });
  const loaded = local.engine.models.get(opened.id);
  const { graph } = await local.engine.attributions.graphFor(loaded, gradientRuleSet, 'logit', {});
  const io = graph.graph.io;
  const input = new Float32Array(3 * 224 * 224).map((_, i) => ((i * 7919) % 1000) / 1000);
  const seed = graph.seedFor(3);
  const feeds = { [io.image]: new OrtTensor('float32', input, [1, 3, 224, 224]), [io.seed]: new OrtTensor('float32', seed, [1, seed.length]) };
  const fetches = [io.inputGradient!];
  // The product's own thread settings (explicit count, no spinning), so that the times are the engine's.
  const options = withIntraOpThreads({ graphOptimizationLevel: 'all', logSeverityLevel: 3, ...(threads > 0 ? { intraOpNumThreads: threads } : {}) });
  const plain = await InferenceSession.create(graph.graph.bytes, options);
  const forward = () => loaded.session.run({ [loaded.resolved.card.input.name]: new OrtTensor('float32', input, [1, 3, 224, 224]) });

  // Un-profiled first, forward and gradient graph interleaved.
  const times = { forward: [] as number[], gradient: [] as number[] };
  for (let i = 0; i < 3; i++) {
    await forward();
    await plain.run(feeds, fetches);
  }
  for (let i = 0; i < repeat; i++) {
    times.forward.push(await timed(forward));
    times.gradient.push(await timed(() => plain.run(feeds, fetches)));
  }
  const fwd = summarize(times.forward).median;
  const grad = summarize(times.gradient).median;
  console.log(`graph-profile: ${name}, one image, ${options.intraOpNumThreads} onnxruntime threads (${threads ? 'LUMEN_BENCH_THREADS' : 'one per core'}), medians of ${repeat} interleaved runs`);
  console.log(`  model forward ${fwd.toFixed(1)} ms; gradient graph (forward + backward) ${grad.toFixed(1)} ms = ${(grad / fwd).toFixed(2)} forwards`);
  await plain.release();

  const profileDir = mkdtempSync(join(tmpdir(), 'lumen-graph-profile-'));
  try {
    const profiled = await InferenceSession.create(graph.graph.bytes, { ...options, enableProfiling: true, profileFilePrefix: join(profileDir, 'gradient') });
    for (let i = 0; i < 3; i++) await profiled.run(feeds, fetches);
    // The warm-up runs are in the profile too: count them.
    for (let i = 0; i < repeat; i++) await profiled.run(feeds, fetches);
    profiled.endProfiling();
    await profiled.release();
    const file = readdirSync(profileDir).find((f) => f.endsWith('.json'));
    if (!file) throw new Error('onnxruntime wrote no profile');
    const totals = kernelTotals(JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as unknown[], repeat + 3);
    printTotals(totals);
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
    await local.close();
  }
}

function printTotals(totals: KernelTotals): void {
  const rows = [...totals.byOp.values()].sort((a, b) => b.ms - a.ms);
  const all = rows.reduce((s, r) => s + r.ms, 0);
  const phaseMs = (p: Phase) => rows.filter((r) => r.phase === p).reduce((s, r) => s + r.ms, 0);
  console.log(`  profiled kernels ${all.toFixed(1)} ms per run: forward ${phaseMs('forward').toFixed(1)}, backward ${phaseMs('backward').toFixed(1)}, layout changes ${phaseMs('layout').toFixed(1)}`);
  console.log(`  ${'phase'.padEnd(9)} ${'operator'.padEnd(18)} ${'ms/run'.padStart(7)} ${'share'.padStart(6)} ${'kernels'.padStart(8)}`);
  for (const r of rows.filter((r) => r.ms / all >= 0.005)) {
    console.log(`  ${r.phase.padEnd(9)} ${r.op.padEnd(18)} ${r.ms.toFixed(2).padStart(7)} ${((100 * r.ms) / all).toFixed(1).padStart(5)}% ${r.count.toFixed(0).padStart(8)}`);
  }
  const top = [...totals.byNode.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 8);
  console.log('  slowest kernels: ' + top.map(([node, t]) => `${node} (${t.op}) ${t.ms.toFixed(2)} ms`).join('; '));
}
