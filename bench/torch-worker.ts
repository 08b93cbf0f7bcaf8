/**
 * The PyTorch side of bench/peers.ts: one persistent `bench/torch_baseline.py worker` process (so
 * that model loading and Python start-up are paid once), asked for one timed run at a time.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';

export const python = '/usr/bin/python3';

/**
 * PyTorch's OpenMP threads wait passively unless the caller chose otherwise: with the default
 * spin-wait, on a machine whose cores are shared (several test runs, other benchmarks) every
 * PyTorch pass becomes up to ten times slower (ResNet-18 gradient 0.1-0.5 s passive, 3.5-5 s
 * spinning, same load), which would flatter Lumen. The fastest peer is the one to beat.
 */
export function torchWaitPolicy(): string {
  return process.env['OMP_WAIT_POLICY'] ?? 'PASSIVE';
}

/**
 * OpenBLAS's own threads (Debian's torch does its convolutions through OpenBLAS) busy-wait for 2^N
 * cycles after every call before they sleep; with its default N = 28 a PyTorch process kept one core
 * of two at 100% for 80-90 ms after each answer (/proc/<pid>/stat, ResNet-18 gradient), so that
 * whichever Lumen run came next shared the machine with it: 50 instead of 32 ms. N = 4 (the
 * smallest OpenBLAS accepts) leaves nothing running after the answer and PyTorch itself as fast or
 * faster (67 against 72 ms), so the peer keeps its best time and stops taxing the next run.
 */
export function torchThreadTimeout(): string {
  return process.env['OPENBLAS_THREAD_TIMEOUT'] ?? '4';
}

/**
 * The environment every PyTorch process of the benchmarks runs with (see the two functions above).
 * OPENBLAS_CORETYPE is removed so that OpenBLAS picks the kernels of this CPU, as a user's PyTorch
 * does: this build machine's environment forces Haswell (AVX2) on an AVX-512 CPU, which made
 * PyTorch's ViT-B/16 forward 0.35 s instead of 0.26 s, a handicap for the peer (Lumen's
 * onnxruntime picks its kernels itself). LUMEN_BENCH_OPENBLAS_CORETYPE sets one on purpose.
 */
export function torchEnvironment(): NodeJS.ProcessEnv {
  const { OPENBLAS_CORETYPE: _forced, ...inherited } = process.env;
  const core = process.env['LUMEN_BENCH_OPENBLAS_CORETYPE'];
  return { ...inherited, ...(core ? { OPENBLAS_CORETYPE: core } : {}), OMP_WAIT_POLICY: torchWaitPolicy(), OPENBLAS_THREAD_TIMEOUT: torchThreadTimeout() };
}

/**
 * Why PyTorch's times would not be a fair baseline, or null: with Debian's reference BLAS (no
 * libopenblas0 installed) its MatMuls run ten to thirty times slower (ViT-B/16 forward 10.9 s
 * instead of 0.26 s), which would flatter Lumen.
 */
export function unfairBlas(blas: readonly string[]): string | null {
  const reference = blas.find((lib) => lib.includes('/blas/libblas'));
  return reference ? `PyTorch loaded the reference BLAS (${reference}); apt-get install libopenblas0-pthread for a fair baseline` : null;
}

/** How PyTorch's threads wait, for the benchmarks' headers. */
export function torchWaitDescription(): string {
  return `OMP_WAIT_POLICY=${torchWaitPolicy()}, OPENBLAS_THREAD_TIMEOUT=${torchThreadTimeout()}`;
}

export interface TorchRequest {
  model: string;
  method: string;
  batch: number;
  params: Record<string, unknown>;
  repeat: number;
  target: number;
  /** Whether the first request of this work is preceded by an untimed run (default true). */
  warmup?: boolean;
  /** Images in that untimed run (default: the whole batch). */
  warmupBatch?: number;
  /** How many such untimed runs (default 1). */
  warmupRuns?: number;
}

/** For method 'load' (only builds the model) just the two memory figures. */
export interface TorchAnswer {
  ms: number;
  runsMs: number[];
  /** The process's peak resident memory so far, and its resident memory now, in MiB. */
  maxRssMiB: number;
  rssMiB: number;
  threads: number;
  blas: string[];
}

export class TorchWorker {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly waiting: Array<(line: string | null) => void> = [];

  /** `rowsPerPass` overrides LUMEN_BENCH_TORCH_ROWS (rows per forward/backward pass, bench/peer_methods.py). */
  constructor(options: { threads?: number; rowsPerPass?: number } = {}) {
    const { threads, rowsPerPass } = options;
    this.child = spawn(python, ['bench/torch_baseline.py', 'worker', ...(threads ? ['--threads', String(threads)] : [])], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...torchEnvironment(), ...(rowsPerPass ? { LUMEN_BENCH_TORCH_ROWS: String(rowsPerPass) } : {}) },
    });
    // PyTorch's warnings go to the terminal, not into the answers.
    this.child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    this.lines = createInterface({ input: this.child.stdout });
    this.lines.on('line', (line) => this.waiting.shift()?.(line));
    this.lines.on('close', () => this.waiting.splice(0).forEach((resolve) => resolve(null)));
  }

  /** One request; rejects with the worker's error (an unknown method, a model it cannot build). */
  async run(request: TorchRequest): Promise<TorchAnswer> {
    const line = await new Promise<string | null>((resolve) => {
      this.waiting.push(resolve);
      this.child.stdin.write(`${JSON.stringify(request)}\n`);
    });
    if (line === null) throw new Error('the PyTorch worker exited');
    const answer = JSON.parse(line) as TorchAnswer | { error: string };
    if ('error' in answer) throw new Error(answer.error);
    return answer;
  }

  /**
   * CPU time the worker has used so far, in ms, from /proc (Linux, whose clock ticks are 100 a
   * second); null where there is no /proc. Lets the benchmark check that no work is left running
   * after an answer.
   */
  cpuMs(): number | null {
    try {
      const fields = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return null;
    }
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    await exited;
  }
}
