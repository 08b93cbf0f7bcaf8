import { LumenError } from '../../../../shared/errors';
import { compileAttributionGraph } from '../../autodiff/compile';
import { makeBatchDynamic } from '../../onnx/dynamic-batch';
import { encodeModel } from '../../onnx/encode';
import { GraphIndex } from '../../onnx/graph-index';
import type { Model } from '../../onnx/ir';
import { probeModel } from '../../onnx/shape-probe';
import { floatValues } from '../../onnx/tensor-values';
import { Rng } from '../../random/rng';
import { InferenceSession, OrtTensor, type Session } from '../../runtime/onnxruntime';
import { parameterisedLayers, randomiseLayers } from '../randomise-layers';
import { batchNormLayers, batchStatisticsRuleSet, statisticsModel, updateRunningStatistics, type BatchNormStatistics } from './batch-statistics';
import { withIntraOpThreads } from '../../runtime/intra-op-threads';

/** "Small models": full retraining refuses models with more parameters than this. */
export const maxFullRetrainParameters = 5_000_000;

export interface FullRetrainOptions {
  epochs: number;
  learningRate: number;
  momentum: number;
  batchSize: number;
  /** `scratch`: re-initialise as PyTorch's reset_parameters does (ROAR retrains from scratch); `fine-tune`: start from the model's weights. */
  init: 'scratch' | 'fine-tune';
  /** Seeds the initialisation and the order of the examples in every epoch. */
  seed: number;
}

export const defaultFullRetrainOptions: FullRetrainOptions = { epochs: 20, learningRate: 0.05, momentum: 0.9, batchSize: 16, init: 'scratch', seed: 0 };

export interface TrainingHooks {
  signal?: AbortSignal | undefined;
  /** Steps done and in all. */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export type Weights = Map<string, Float32Array>;

/**
 * Full-network retraining on one compiled training graph: the model's trainable float
 * initializers are inputs of the graph and their gradients outputs (CompileRequest.parameters), so
 * one onnxruntime session serves every step of every training. The loss is the mean cross-entropy:
 * the graph's objective is sum_k seed_k log softmax(z)_k, and with seed = onehot(y) / batch its
 * parameter gradient is minus the gradient of the mean cross-entropy, in one forward+backward pass.
 * SGD with momentum (PyTorch's form: v = mu v + g, w -= lr v). BatchNormalization layers train
 * in training mode (batch statistics, running averages kept; see batch-statistics.ts); the weights
 * carry their running averages, which evaluation uses.
 */
export class FullRetrainer {
  private constructor(
    private readonly session: Session,
    private readonly model: Model,
    readonly parameters: Array<{ name: string; gradient: string; dims: number[] }>,
    readonly parameterCount: number,
    private readonly inputName: string,
    private readonly rowDims: number[],
    private readonly output: string,
    private readonly seedName: string,
    readonly classCount: number,
    readonly batchable: boolean,
    readonly notes: string[],
    /** BatchNormalization layers, and the forward pass that measures their batch statistics. */
    readonly batchNorms: BatchNormStatistics[],
    private readonly statistics: Session | undefined,
  ) {}

  static async create(model: Model, input: { name: string; dims: number[] }, output: string): Promise<FullRetrainer> {
    const compiled = await compileAttributionGraph({ model, input, output, objective: 'log-probability', rules: batchStatisticsRuleSet, inputGradient: false, parameters: true });
    const batchNorms = model.graph.nodes.some((n) => n.opType === 'BatchNormalization') ? await FullRetrainer.batchNormsOf(model, input, compiled.io.parameters ?? []) : { layers: [], model };
    const statisticNames = new Set(batchNorms.layers.flatMap((l) => [l.mean, l.variance]));
    const parameters = (compiled.io.parameters ?? []).filter((p) => !statisticNames.has(p.name));
    if (parameters.length === 0) throw new LumenError('unsupported-model', 'The model has no float parameters that its class scores depend on: there is nothing to retrain.');
    const parameterCount = parameters.reduce((s, p) => s + p.dims.reduce((a, b) => a * b, 1), 0);
    if (parameterCount > maxFullRetrainParameters) {
      throw new LumenError(
        'invalid-argument',
        `Full retraining is offered for small models (at most ${maxFullRetrainParameters.toLocaleString('en-US')} parameters); this one has ${parameterCount.toLocaleString('en-US')}.`,
        'Use retrain "head" (roar-head): the classification head is retrained on frozen features.',
      );
    }
    const session = await InferenceSession.create(encodeModel(compiled.model), withIntraOpThreads({ logSeverityLevel: 4 }));
    const statistics = batchNorms.layers.length > 0 ? await InferenceSession.create(encodeModel(batchNorms.model), withIntraOpThreads({ logSeverityLevel: 4 })) : undefined;
    const notes = [...compiled.notes];
    if (batchNorms.layers.length > 0) notes.push(`BatchNormalization (${batchNorms.layers.length} layer${batchNorms.layers.length === 1 ? '' : 's'}) trained as in PyTorch's training mode: batch statistics in the forward and backward pass, running averages kept (from 0 and 1 when training from scratch) and used for testing.`);
    return new FullRetrainer(session, model, parameters, parameterCount, input.name, input.dims.slice(1), output, compiled.io.seed, compiled.classCount, compiled.batchable, notes, batchNorms.layers, statistics);
  }

  /** The BatchNormalization layers and the statistics model (on the batch-dynamic model, so it runs whole batches). */
  private static async batchNormsOf(model: Model, input: { name: string; dims: number[] }, parameters: Array<{ name: string; dims: number[] }>): Promise<{ layers: BatchNormStatistics[]; model: Model }> {
    const dynamic = (await makeBatchDynamic(model, input.name, input.dims)).model;
    const probe = await probeModel(dynamic, input);
    const layers = batchNormLayers(dynamic, probe);
    const statistics = new Set(layers.flatMap((l) => [l.mean, l.variance]));
    const initializers = new GraphIndex(dynamic.graph).initializers;
    // The statistics model is fed the weights being trained, as the training graph is.
    const trained = parameters.filter((p) => !statistics.has(p.name) && initializers.has(p.name));
    return { layers, model: statisticsModel(dynamic, layers, trained, probe) };
  }

  /**
   * The starting weights: the model's own (fine-tune), or its layers re-initialised uniform in
   * ±1/sqrt(fan_in) (Conv, Gemm, MatMul weights and biases; normalisation scale 1, shift 0 and
   * BatchNorm's running mean 0, variance 1, as a fresh PyTorch BatchNorm), with
   * other trainable tensors read by Add or Sub (biases after a MatMul) set to zero and the rest
   * (scales) kept.
   */
  initialWeights(init: FullRetrainOptions['init'], seed: number): Weights {
    let source = this.model;
    const zero = new Set<string>();
    if (init === 'scratch') {
      const layers = parameterisedLayers(this.model);
      source = randomiseLayers(this.model, layers, new Set(layers.map((_, i) => i)), seed);
      const inLayers = new Set(layers.flatMap((l) => [l.weight, l.bias, l.mean, l.variance]).filter((n): n is string => !!n));
      for (const node of this.model.graph.nodes) if (node.opType === 'Add' || node.opType === 'Sub') for (const i of node.inputs) if (!inLayers.has(i)) zero.add(i);
    }
    const index = new GraphIndex(source.graph);
    const weights: Weights = new Map();
    for (const p of [...this.parameters, ...this.batchNorms.flatMap((l) => [{ name: l.mean }, { name: l.variance }])]) {
      const t = index.initializers.get(p.name);
      if (!t) throw new LumenError('internal', `No initial value for parameter "${p.name}".`);
      const values = Float32Array.from(floatValues(t));
      if (zero.has(p.name)) values.fill(0);
      weights.set(p.name, values);
    }
    return weights;
  }

  /** Steps per training of `n` images. */
  stepsFor(n: number, options: FullRetrainOptions): number {
    return options.epochs * Math.ceil(n / this.effectiveBatch(options));
  }

  private effectiveBatch(options: FullRetrainOptions): number {
    return this.batchable ? Math.max(1, options.batchSize) : 1;
  }

  private imageFeed(inputs: Float32Array[], rows: number[]): InstanceType<typeof OrtTensor> {
    const size = this.rowDims.reduce((a, b) => a * b, 1);
    const x = new Float32Array(rows.length * size);
    rows.forEach((r, k) => x.set(inputs[r]!, k * size));
    return new OrtTensor('float32', x, [rows.length, ...this.rowDims]);
  }

  /**
   * The training graph's feeds: images, seed, weights, and each BatchNormalization's mean and
   * variance: the running averages (evaluation), or the batch's own statistics (training).
   */
  private feeds(weights: Weights, inputs: Float32Array[], rows: number[], seed: Float32Array, batchStatistics?: Weights): Record<string, InstanceType<typeof OrtTensor>> {
    const feeds: Record<string, InstanceType<typeof OrtTensor>> = {
      [this.inputName]: this.imageFeed(inputs, rows),
      [this.seedName]: new OrtTensor('float32', seed, [rows.length, this.classCount]),
    };
    for (const p of this.parameters) feeds[p.name] = new OrtTensor('float32', weights.get(p.name)!, p.dims);
    for (const l of this.batchNorms) {
      for (const name of [l.mean, l.variance]) {
        const values = batchStatistics?.get(name) ?? weights.get(name)!;
        feeds[name] = new OrtTensor('float32', values, [values.length]);
      }
    }
    return feeds;
  }

  /**
   * Each BatchNormalization's batch mean and biased variance under the current weights (keyed by
   * the running-statistic names they stand in for), and the running averages moved toward them.
   */
  private async batchStatistics(weights: Weights, inputs: Float32Array[], rows: number[]): Promise<Weights | undefined> {
    if (!this.statistics) return undefined;
    const feeds: Record<string, InstanceType<typeof OrtTensor>> = { [this.inputName]: this.imageFeed(inputs, rows) };
    for (const name of this.statistics.inputNames) {
      const p = this.parameters.find((q) => q.name === name);
      if (p) feeds[name] = new OrtTensor('float32', weights.get(name)!, p.dims);
    }
    const out = await this.statistics.run(feeds);
    const batch: Weights = new Map();
    for (const l of this.batchNorms) {
      const mean = Float32Array.from(out[l.batchMean]!.data as Float32Array);
      const variance = Float32Array.from(out[l.batchVariance]!.data as Float32Array);
      batch.set(l.mean, mean).set(l.variance, variance);
      const n = rows.length * l.valuesPerRow;
      updateRunningStatistics(weights.get(l.mean)!, mean, l.momentum);
      updateRunningStatistics(weights.get(l.variance)!, variance, l.momentum, n > 1 ? n / (n - 1) : 1);
    }
    return batch;
  }

  /** Trains from `options.init` on the images and labels; returns the final weights. */
  async train(inputs: Float32Array[], labels: number[], options: FullRetrainOptions, hooks: TrainingHooks = {}, start?: Weights): Promise<Weights> {
    if (inputs.length === 0 || labels.length !== inputs.length) throw new LumenError('invalid-argument', `Training needs one label per image (got ${inputs.length} images and ${labels.length} labels).`);
    const top = Math.max(...labels);
    if (top >= this.classCount) throw new LumenError('invalid-argument', `The dataset has ${top + 1} classes but the model scores only ${this.classCount}.`);
    const weights = start ?? this.initialWeights(options.init, options.seed);
    const velocity = new Map([...weights].map(([k, v]) => [k, new Float32Array(v.length)]));
    const batch = this.effectiveBatch(options);
    const rng = new Rng(options.seed * 7919 + 17);
    const order = Array.from(inputs, (_, i) => i);
    const total = this.stepsFor(inputs.length, options);
    let done = 0;
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (let b = 0; b < order.length; b += batch) {
        if (hooks.signal?.aborted) throw new LumenError('cancelled', 'Full retraining was cancelled.');
        const rows = order.slice(b, b + batch);
        const seed = new Float32Array(rows.length * this.classCount);
        rows.forEach((r, k) => (seed[k * this.classCount + labels[r]!] = 1 / rows.length));
        const batchStatistics = await this.batchStatistics(weights, inputs, rows);
        const out = await this.session.run(this.feeds(weights, inputs, rows, seed, batchStatistics));
        for (const p of this.parameters) {
          // The graph's gradient is that of the mean log-likelihood: descend on its negative.
          const g = out[p.gradient]!.data as Float32Array;
          const w = weights.get(p.name)!;
          const v = velocity.get(p.name)!;
          for (let i = 0; i < w.length; i++) {
            v[i] = options.momentum * v[i]! - g[i]!;
            w[i]! -= options.learningRate * v[i]!;
          }
        }
        hooks.onProgress?.(++done, total);
      }
    }
    return weights;
  }

  /** The predicted class of each image under the given weights. */
  async predict(weights: Weights, inputs: Float32Array[], batchSize = 32): Promise<number[]> {
    const batch = this.batchable ? batchSize : 1;
    const predicted: number[] = [];
    for (let b = 0; b < inputs.length; b += batch) {
      const rows = Array.from({ length: Math.min(batch, inputs.length - b) }, (_, k) => b + k);
      const out = await this.session.run(this.feeds(weights, inputs, rows, new Float32Array(rows.length * this.classCount)), [this.output]);
      const scores = out[this.output]!.data as Float32Array;
      const classes = scores.length / rows.length;
      for (let r = 0; r < rows.length; r++) {
        let best = 0;
        for (let k = 1; k < classes; k++) if (scores[r * classes + k]! > scores[r * classes + best]!) best = k;
        predicted.push(best);
      }
    }
    return predicted;
  }

  async release(): Promise<void> {
    await this.session.release();
    await this.statistics?.release();
  }
}
