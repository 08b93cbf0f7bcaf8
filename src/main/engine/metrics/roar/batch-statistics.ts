import { LumenError } from '../../../../shared/errors';
import { Emitter } from '../../autodiff/emitter';
import type { BackwardContext, OpRule } from '../../autodiff/rule';
import { overrideRules, type RuleSet } from '../../autodiff/rule-set';
import { Attributes, GraphIndex } from '../../onnx/graph-index';
import type { Model, Node } from '../../onnx/ir';
import { defaultOpset } from '../../onnx/opset-upgrade';
import type { Probe } from '../../onnx/shape-probe';

/**
 * BatchNormalization trained as PyTorch trains it (model.train()): the forward normalises with the
 * batch's own mean and variance, the backward differentiates through them, and running averages
 * are kept for evaluation. onnxruntime's inference build has no training-mode BatchNormalization,
 * so each training step runs in two passes:
 *
 * 1. a forward-only "statistics" model (the network with every BatchNormalization reading the mean
 *    and biased variance of its own input over the batch and spatial axes) gives each layer's batch
 *    statistics under the current weights;
 * 2. the training graph, where each BatchNormalization's mean and variance are inputs, is fed those
 *    batch statistics; its rule below is the backward of batch normalisation (statistics included),
 *    which holds because what it is fed are the batch statistics of its input.
 *
 * Evaluation feeds the running averages instead: the inference-form model, as exported.
 */

/** One BatchNormalization layer: its running-statistic tensors and how the running averages move. */
export interface BatchNormStatistics {
  node: string;
  mean: string;
  variance: string;
  /** ONNX's momentum: running = momentum * running + (1 - momentum) * batch (PyTorch's 0.1 is ONNX's 0.9). */
  momentum: number;
  /** Values averaged per channel per batch row (the spatial size): the unbiased variance needs the count. */
  valuesPerRow: number;
  /** Outputs of the statistics model: this layer's batch mean and biased variance, [C]. */
  batchMean: string;
  batchVariance: string;
}

/** The per-channel vector [C] reshaped to [C, 1, ..., 1] for an N x C x ... tensor of `rank`. */
function perChannel(ctx: BackwardContext, v: string, rank: number): string {
  return rank > 2 ? ctx.emit.unsqueeze(v, Array.from({ length: rank - 2 }, (_, i) => i + 1)) : v;
}

/**
 * Batch normalisation with the batch's statistics (inputs 3 and 4 are the batch mean and biased
 * variance of x, fed each step): with xhat = (x - mean) rstd and gg = g * scale,
 * dx = rstd (gg - mean(gg) - xhat mean(gg xhat)), d scale = sum(g xhat), d bias = sum(g), the
 * means and sums over the batch and spatial axes. The statistics are inputs of the graph
 * (`parameters` 3 and 4) only so they can be fed; their own gradient is not used.
 */
const batchStatisticsBatchNorm: OpRule = {
  differentiable: [0],
  parameters: [1, 2, 3, 4],
  backward(ctx, [g]) {
    if (ctx.attrs.int('training_mode', 0) === 1) ctx.unsupported('BatchNormalization in training mode');
    const e = ctx.emit;
    const x = ctx.input(0);
    const rank = ctx.shape(x).length;
    const axes = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)];
    const epsilon = ctx.attrs.float('epsilon', 1e-5);
    const rstd = perChannel(ctx, e.div(e.scalar(1), e.op('Sqrt', [e.add(ctx.input(4), e.scalar(epsilon))])), rank);
    const xhat = e.mul(e.sub(x, perChannel(ctx, ctx.input(3), rank)), rstd);
    const gg = e.mul(g!, perChannel(ctx, ctx.input(1), rank));
    const inner = e.sub(e.sub(gg, e.reduce('ReduceMean', gg, axes)), e.mul(xhat, e.reduce('ReduceMean', e.mul(gg, xhat), axes)));
    return [
      ctx.needsGrad(0) ? e.mul(rstd, inner) : undefined,
      ctx.needsGrad(1) ? e.reduceSum(e.mul(g!, xhat), axes, false) : undefined,
      ctx.needsGrad(2) ? e.reduceSum(g!, axes, false) : undefined,
    ];
  },
};

/** Plain gradients, with BatchNormalization trained on batch statistics (see above). */
export const batchStatisticsRuleSet: RuleSet = overrideRules('training-batch-statistics', { BatchNormalization: batchStatisticsBatchNorm });

/** The BatchNormalization layers of a model whose running statistics are initializers. */
export function batchNormLayers(model: Model, probe: Probe): BatchNormStatistics[] {
  const index = new GraphIndex(model.graph);
  return model.graph.nodes
    .filter((n) => n.opType === 'BatchNormalization')
    .map((node, k) => {
      const [x, , , mean, variance] = node.inputs;
      if (!x || !mean || !variance || !index.initializers.has(mean) || !index.initializers.has(variance)) {
        throw new LumenError(
          'unsupported-model',
          `Full retraining needs BatchNormalization "${node.name || node.outputs[0]}" to keep its running mean and variance as constants of the model.`,
          'Use retrain "head" (roar-head): the classification head is retrained on frozen features.',
        );
      }
      const attributes = new Attributes(node);
      const dims = probe.get(x)?.dims;
      if (!dims) throw new LumenError('internal', `No probed shape for the input of BatchNormalization "${node.name}".`);
      return {
        node: node.name || node.outputs[0]!,
        mean,
        variance,
        momentum: attributes.float('momentum', 0.9),
        valuesPerRow: dims.slice(2).reduce((a, b) => a * b, 1),
        batchMean: `lumen_batch_mean_${k}`,
        batchVariance: `lumen_batch_variance_${k}`,
      };
    });
}

/**
 * The forward-only statistics model: each BatchNormalization normalises with its input's batch
 * mean and biased variance, which become outputs; the trained parameters become inputs.
 */
export function statisticsModel(model: Model, layers: BatchNormStatistics[], parameters: Array<{ name: string; dims: number[] }>, probe: Probe): Model {
  const emit = new Emitter(defaultOpset(model), 'lumen_stats_');
  const byNode = new Map(layers.map((l) => [l.node, l]));
  const nodes: Node[] = [];
  for (const node of new GraphIndex(model.graph).topologicalOrder()) {
    const layer = node.opType === 'BatchNormalization' ? byNode.get(node.name || node.outputs[0]!) : undefined;
    if (!layer) {
      nodes.push(node);
      continue;
    }
    const x = node.inputs[0]!;
    const rank = probe.get(x)!.dims.length;
    const axes = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)];
    const start = emit.nodes.length;
    const mean = emit.reduce('ReduceMean', x, axes);
    const centred = emit.sub(x, mean);
    const variance = emit.reduce('ReduceMean', emit.mul(centred, centred), axes);
    const flat = emit.ints([-1]);
    emit.nodes.push(
      { name: layer.batchMean, opType: 'Reshape', domain: '', inputs: [mean, flat], outputs: [layer.batchMean], attributes: [] },
      { name: layer.batchVariance, opType: 'Reshape', domain: '', inputs: [variance, flat], outputs: [layer.batchVariance], attributes: [] },
    );
    nodes.push(...emit.nodes.slice(start), { ...node, inputs: [x, node.inputs[1]!, node.inputs[2]!, layer.batchMean, layer.batchVariance] });
  }
  const fed = new Set(parameters.map((p) => p.name));
  return {
    ...model,
    graph: {
      ...model.graph,
      nodes,
      initializers: [...model.graph.initializers.filter((t) => !fed.has(t.name)), ...emit.initializers],
      inputs: [...model.graph.inputs, ...parameters.map((p) => ({ name: p.name, elemType: 1, shape: p.dims }))],
      outputs: layers.flatMap((l) => [
        { name: l.batchMean, elemType: 1, shape: ['channels'] },
        { name: l.batchVariance, elemType: 1, shape: ['channels'] },
      ]),
      valueInfo: [],
    },
  };
}

/**
 * Moves the running averages toward one batch's statistics as PyTorch does: the mean directly, the
 * variance unbiased (times n / (n - 1), n the values averaged per channel).
 */
export function updateRunningStatistics(running: Float32Array, batch: Float32Array, momentum: number, correction = 1): void {
  for (let c = 0; c < running.length; c++) running[c] = momentum * running[c]! + (1 - momentum) * batch[c]! * correction;
}
