/**
 * The pure parts of bench/peers.ts: which models, methods and batches to run (from argv and the
 * environment), the interleaved medians and ratios, and the table they print as.
 */

/** Lumen must take at most this fraction of the fastest peer's time (issue 20). */
export const goalRatio = 0.7;

export const peerModels = ['resnet18', 'densenet121', 'vit_b_16'] as const;
export type PeerModel = (typeof peerModels)[number];

export interface Selection {
  models: string[];
  methods: string[] | null;
  batches: number[];
  repeat: number;
  /** The model of the peak-memory comparison (IG-32 at batch 32), or null for none. */
  memory: string | null;
}

/**
 * What to run: `--models=a,b`, `--methods=...`, `--batches=1,32`, `--repeat=N` on the command line,
 * else LUMEN_BENCH_MODELS, LUMEN_BENCH_METHODS, LUMEN_BENCH_BATCHES, LUMEN_BENCH_REPEAT, else every
 * model, every method, batches 1 and 32 and 3 repetitions. Methods `null` means all of them.
 * `--memory=MODEL` (LUMEN_BENCH_MEMORY) picks the model of the peak-memory figure: resnet18 unless
 * `none`.
 */
export function parseSelection(argv: readonly string[], env: Record<string, string | undefined>): Selection {
  const flag = (name: string): string | undefined => {
    const prefix = `--${name}=`;
    return argv.find((a) => a.startsWith(prefix))?.slice(prefix.length) ?? env[`LUMEN_BENCH_${name.toUpperCase()}`];
  };
  const list = (value: string | undefined): string[] | null => {
    const items = value?.split(',').map((s) => s.trim()).filter((s) => s.length > 0) ?? [];
    return items.length > 0 ? items : null;
  };
  const models = list(flag('models')) ?? [...peerModels];
  const unknown = models.filter((m) => !(peerModels as readonly string[]).includes(m));
  if (unknown.length > 0) throw new Error(`Unknown model(s) ${unknown.join(', ')}: choose from ${peerModels.join(', ')}.`);
  const batches = (list(flag('batches')) ?? ['1', '32']).map((b) => {
    const n = Number(b);
    if (!Number.isInteger(n) || n < 1) throw new Error(`Batch "${b}" is not a positive whole number.`);
    return n;
  });
  const repeatText = flag('repeat') ?? '3';
  const repeat = Number(repeatText);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`Repeat "${repeatText}" is not a positive whole number.`);
  const memoryText = flag('memory') ?? 'resnet18';
  const memory = memoryText === 'none' ? null : memoryText;
  if (memory !== null && !(peerModels as readonly string[]).includes(memory)) throw new Error(`Unknown memory model "${memory}": choose from ${peerModels.join(', ')} or none.`);
  return { models, methods: list(flag('methods')), batches, repeat, memory };
}

/** The middle value (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface PeerRow {
  method: string;
  model: string;
  batch: number;
  /** How Lumen's batch was timed ('attribute' request, engine batch path, ...). */
  lumenPath: string;
  lumenMs: number | null;
  torchMs: number | null;
  /** Lumen ÷ PyTorch: below 1 Lumen is faster. */
  ratio: number | null;
  meetsGoal: boolean | null;
  runs: number;
  /** Every timed run of each side, in the order they ran (this machine's speed drifts: see the spread). */
  lumenRunsMs: number[];
  torchRunsMs: number[];
  error?: string;
}

/** A row from the interleaved runs of both sides (medians), or the error that stopped it. */
export function peerRow(base: Omit<PeerRow, 'lumenMs' | 'torchMs' | 'ratio' | 'meetsGoal' | 'runs' | 'lumenRunsMs' | 'torchRunsMs'>, lumenRuns: readonly number[], torchRuns: readonly number[], error?: string): PeerRow {
  const lumenMs = lumenRuns.length > 0 ? median(lumenRuns) : null;
  const torchMs = torchRuns.length > 0 ? median(torchRuns) : null;
  const ratio = lumenMs !== null && torchMs !== null && torchMs > 0 ? lumenMs / torchMs : null;
  return {
    ...base,
    lumenMs,
    torchMs,
    ratio,
    meetsGoal: ratio === null ? null : ratio <= goalRatio,
    runs: Math.min(lumenRuns.length, torchRuns.length),
    lumenRunsMs: [...lumenRuns],
    torchRunsMs: [...torchRuns],
    ...(error ? { error } : {}),
  };
}

const ms = (v: number | null): string => (v === null ? '-' : v >= 100 ? v.toFixed(0) : v.toFixed(1));

/** The rows as a Markdown table (it reads as text in a terminal too). */
export function formatTable(rows: readonly PeerRow[]): string {
  const header = ['method', 'model', 'batch', 'Lumen ms', 'PyTorch ms', 'ratio', `<= ${goalRatio}x`, 'Lumen path'];
  const lines = rows.map((r) => [
    r.method,
    r.model,
    String(r.batch),
    ms(r.lumenMs),
    ms(r.torchMs),
    r.ratio === null ? '-' : r.ratio.toFixed(2),
    r.error ? `error: ${r.error}` : r.meetsGoal === null ? '-' : r.meetsGoal ? 'yes' : 'no',
    r.lumenPath,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [row(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(row)].join('\n');
}
