/**
 * The PyTorch side of bench/peers.ts: one persistent `bench/torch_baseline.py worker` process (so
 * that model loading and Python start-up are paid once), asked for one timed run at a time.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
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

export interface TorchRequest {
  model: string;
  method: string;
  batch: number;
  params: Record<string, unknown>;
  repeat: number;
  target: number;
  /** Whether the first request of this work is preceded by an untimed run (default true). */
  warmup?: boolean;
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
      env: { ...process.env, OMP_WAIT_POLICY: torchWaitPolicy(), ...(rowsPerPass ? { LUMEN_BENCH_TORCH_ROWS: String(rowsPerPass) } : {}) },
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

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    await exited;
  }
}
