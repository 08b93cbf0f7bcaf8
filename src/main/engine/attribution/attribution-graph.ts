import { LumenError } from '../../../shared/errors';
import { OrtTensor, type Session } from '../runtime/onnxruntime';
import type { StoredGraph } from './graph-cache';
import { maxRowsPerRun, memoryBudgetBytes, rowsPerRun } from './memory-plan';

export interface RowInput {
  input: Float32Array;
  /** The reference image for rule sets that compare with one (DeepLIFT). */
  reference?: Float32Array;
  /** This row's seed, where rows of one run explain different classes (a batch of images); else the run's seed. */
  seed?: Float32Array;
}

export interface RowOutput {
  inputGradient?: Float32Array;
  /** sum_k seed[k] * score[k] for this row. */
  objective: number;
  /** The same for the row's reference image, in graphs with a reference pass (DeepLIFT). */
  referenceObjective?: number;
  taps: Array<{ value: Float32Array; gradient: Float32Array }>;
}

export interface RunOptions {
  signal?: AbortSignal | undefined;
  /** Called after each run with the rows done so far. */
  onRows?: ((done: number, total: number) => void) | undefined;
}

/**
 * A compiled attribution graph with its session: runs any number of rows in as few session runs
 * as the memory plan allows, checking for cancellation between runs.
 */
export class AttributionGraph {
  readonly rowsPerRun: number;
  runs = 0;
  /** Set when this graph runs on another execution provider than the model's forward pass. */
  providerNote?: string;

  constructor(
    readonly graph: StoredGraph,
    private readonly session: Session,
    /** The model input's dims for one row, with the leading batch axis of 1. */
    readonly inputDims: number[],
    /** The execution provider in use: it sets the memory budget of a run. */
    provider = 'cpu',
    /** The model input's layout (where the channel axis is, for masks). */
    readonly layout: 'NCHW' | 'NHWC' = 'NCHW',
    /** Memory one run may use on the CPU, in MiB (the settings' memory budget). */
    cpuBudgetMiB?: number,
  ) {
    const forwardOnly = !graph.io.inputGradient && graph.io.taps.length === 0;
    this.rowsPerRun = rowsPerRun(graph.activationElements, graph.batchable, memoryBudgetBytes(provider, cpuBudgetMiB), maxRowsPerRun(provider), forwardOnly);
  }

  get classCount(): number {
    return this.graph.classCount;
  }

  /** One-hot seed for a class. */
  seedFor(target: number): Float32Array {
    if (!Number.isInteger(target) || target < 0 || target >= this.classCount) {
      throw new LumenError('invalid-argument', `Target class ${target} is out of range: the model has ${this.classCount} classes (0 to ${this.classCount - 1}).`);
    }
    const seed = new Float32Array(this.classCount);
    seed[target] = 1;
    return seed;
  }

  /**
   * Runs a perturbation graph: one image and one baseline for all rows, and per row a one-channel
   * mask (1 keeps the image, 0 takes the baseline); hands each row's objective to `consume`.
   */
  async streamMasks(
    count: number,
    maskAt: (i: number) => Float32Array,
    image: Float32Array,
    baseline: Float32Array,
    seed: Float32Array,
    consume: (i: number, objective: number) => void,
    options: RunOptions & { weightedMasks?: (sum: Float32Array) => void } = {},
  ): Promise<void> {
    const masked = this.graph.io.masked;
    if (!masked) throw new LumenError('internal', 'This graph takes images, not masks.');
    const rowDims = this.inputDims.slice(1);
    const pixels = this.layout === 'NCHW' ? rowDims[1]! * rowDims[2]! : rowDims[0]! * rowDims[1]!;
    const maskDims = this.layout === 'NCHW' ? [1, rowDims[1]!, rowDims[2]!] : [rowDims[0]!, rowDims[1]!, 1];
    const imageTensor = new OrtTensor('float32', image, [1, ...rowDims]);
    const baselineTensor = new OrtTensor('float32', baseline, [1, ...rowDims]);
    // Masks of the next run are made before the current run is awaited. onnxruntime-node 1.x runs
    // inference on the JS thread (a timer does not fire during a run), so today this does not
    // overlap them; it only would with a binding that runs off the thread. Mask making is small.
    const prepare = (start: number): { n: number; feeds: Record<string, InstanceType<typeof OrtTensor>> } => {
      const n = Math.min(this.rowsPerRun, count - start);
      const masks = new Float32Array(pixels * n);
      const seeds = new Float32Array(this.classCount * n);
      for (let i = 0; i < n; i++) {
        const mask = maskAt(start + i);
        if (mask.length !== pixels) throw new LumenError('internal', `A mask has ${mask.length} values; expected ${pixels}.`);
        masks.set(mask, i * pixels);
        seeds.set(seed, i * this.classCount);
      }
      return {
        n,
        feeds: {
          [masked.image]: imageTensor,
          [masked.baseline]: baselineTensor,
          [masked.mask]: new OrtTensor('float32', masks, [n, ...maskDims]),
          [this.graph.io.seed]: new OrtTensor('float32', seeds, [n, this.classCount]),
        },
      };
    };
    let next = count > 0 ? prepare(0) : undefined;
    for (let start = 0; start < count && next; start += this.rowsPerRun) {
      if (options.signal?.aborted) throw new LumenError('cancelled', 'The attribution was cancelled.');
      const current = next;
      const fetches = options.weightedMasks ? [this.graph.io.objective, masked.weightedMasks] : [this.graph.io.objective];
      const running = this.session.run(current.feeds, fetches);
      next = start + this.rowsPerRun < count ? prepare(start + this.rowsPerRun) : undefined;
      let result: Awaited<ReturnType<Session['run']>>;
      try {
        result = await running;
      } catch (error) {
        throw new LumenError('inference-failed', `The perturbation graph failed to run: ${(error as Error).message.split('\n')[0]}.`);
      }
      this.runs += 1;
      const objective = result[this.graph.io.objective]!.data as Float32Array;
      for (let i = 0; i < current.n; i++) consume(start + i, objective[i]!);
      options.weightedMasks?.(result[masked.weightedMasks]!.data as Float32Array);
      options.onRows?.(start + current.n, count);
    }
  }

  /** Runs rows and returns every row's outputs (for small row counts). */
  async run(rows: RowInput[], seed: Float32Array, options: RunOptions = {}): Promise<RowOutput[]> {
    const out: RowOutput[] = new Array(rows.length);
    await this.stream(rows.length, (i) => rows[i]!, seed, (i, row) => (out[i] = row), options);
    return out;
  }

  /**
   * Runs `count` rows made on demand by `rowAt`, handing each row's outputs to `consume` as soon
   * as its run finishes: thousands of path points or noise samples never sit in memory at once.
   * `rowAt` is asked for rows in order, each once (random draws made there keep their order).
   */
  async stream(count: number, rowAt: (i: number) => RowInput, seed: Float32Array, consume: (i: number, row: RowOutput) => void, options: RunOptions = {}): Promise<void> {
    const per = this.inputDims.reduce((a, b) => a * b, 1);
    const { io } = this.graph;
    for (let start = 0; start < count; start += this.rowsPerRun) {
      if (options.signal?.aborted) throw new LumenError('cancelled', 'The attribution was cancelled.');
      const n = Math.min(this.rowsPerRun, count - start);
      const images = new Float32Array(per * n);
      const seeds = new Float32Array(this.classCount * n);
      const references = io.reference ? new Float32Array(per * n) : undefined;
      for (let i = 0; i < n; i++) {
        const row = rowAt(start + i);
        if (row.input.length !== per) throw new LumenError('invalid-argument', `An input has ${row.input.length} values; the model expects ${per}.`);
        images.set(row.input, i * per);
        seeds.set(row.seed ?? seed, i * this.classCount);
        if (references && row.reference) references.set(row.reference, i * per);
      }
      const dims = [n, ...this.inputDims.slice(1)];
      const feeds: Record<string, InstanceType<typeof OrtTensor>> = {
        [io.image]: new OrtTensor('float32', images, dims),
        [io.seed]: new OrtTensor('float32', seeds, [n, this.classCount]),
      };
      if (io.reference && references) feeds[io.reference] = new OrtTensor('float32', references, dims);
      const fetches = [io.objective, ...(io.referenceObjective ? [io.referenceObjective] : []), ...(io.inputGradient ? [io.inputGradient] : []), ...io.taps.flatMap((t) => [t.value, t.gradient])];
      let result: Awaited<ReturnType<Session['run']>>;
      try {
        result = await this.session.run(feeds, fetches);
      } catch (error) {
        throw new LumenError('inference-failed', `The attribution graph failed to run: ${(error as Error).message.split('\n')[0]}.`);
      }
      this.runs += 1;
      const objective = result[io.objective]!.data as Float32Array;
      const referenceObjective = io.referenceObjective ? (result[io.referenceObjective]!.data as Float32Array) : undefined;
      const gradient = io.inputGradient ? (result[io.inputGradient]!.data as Float32Array) : undefined;
      const taps = io.taps.map((t) => ({ value: result[t.value]!.data as Float32Array, gradient: result[t.gradient]!.data as Float32Array }));
      for (let i = 0; i < n; i++) {
        const row: RowOutput = {
          objective: objective[i]!,
          taps: taps.map((t) => {
            const size = t.value.length / n;
            return { value: t.value.subarray(i * size, (i + 1) * size), gradient: t.gradient.subarray(i * size, (i + 1) * size) };
          }),
        };
        if (gradient) row.inputGradient = gradient.subarray(i * per, (i + 1) * per);
        if (referenceObjective) row.referenceObjective = referenceObjective[i]!;
        consume(start + i, row);
      }
      options.onRows?.(start + n, count);
    }
  }
}
