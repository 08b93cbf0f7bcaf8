import { LumenError } from '../../../../shared/errors';
import type { AttributionGraph } from '../../attribution/attribution-graph';
import type { Objective } from '../../autodiff/objective';
import type { RuleSet } from '../../autodiff/rule-set';
import { GraphIndex } from '../../onnx/graph-index';
import type { Model } from '../../onnx/ir';
import { targetOf, type MethodContext } from '../method';
import { attentionShape, softmaxCandidates, windowedAttention } from './attention-maps';

/**
 * One attention block's probabilities A and what the compiled graph returns at them, for one
 * input: both [heads, T, T], row = query token. For a gradient graph `signal` is dy/dA; for an
 * LRP graph, whose backward carries relevance (each rule multiplies by its input), it is the
 * relevance at A itself (checked against a PyTorch AttnLRP reference, block by block).
 */
export interface TappedAttention {
  tensor: string;
  heads: number;
  tokens: number;
  attention: Float32Array;
  signal: Float32Array;
}

/** Ops that only reshape the class scores, through which the final activation is looked for. */
const passThrough = new Set(['Identity', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze']);

/**
 * The Softmax outputs that can be attention probabilities and that the class scores depend on:
 * the model's own final Softmax over the classes (after the logits the objective starts from) is
 * left out, since it has no gradient there and would make the compile fail.
 */
export function attentionTapCandidates(model: Model, output: string): Array<{ tensor: string; axis: number }> {
  const index = new GraphIndex(model.graph);
  let start = output;
  for (let p = index.producer.get(start)?.node; p && passThrough.has(p.opType); p = index.producer.get(start)?.node) start = p.inputs[0]!;
  const last = index.producer.get(start)?.node;
  if (last && (last.opType === 'Softmax' || last.opType === 'Sigmoid')) start = last.inputs[0]!;
  const reaches = new Set<string>([start]);
  for (const node of [...index.topologicalOrder()].reverse()) {
    if (node.outputs.some((o) => reaches.has(o))) for (const input of node.inputs) if (input) reaches.add(input);
  }
  return softmaxCandidates(model).filter((c) => reaches.has(c.tensor));
}

/** A compiled graph whose taps are the candidate Softmax outputs, with each one's softmax axis. */
export interface AttentionTapGraph {
  graph: AttributionGraph;
  axes: number[];
}

/**
 * A graph of the model for `rules` whose taps are every candidate attention Softmax output: one
 * forward and one backward pass return all blocks' probabilities and their signals at once, and
 * the backward stops at the first block (nothing below it is differentiated). With `pairedWith`,
 * the graph for those rules is merged in (one run, one forward): its taps follow, same tensors.
 */
export async function attentionTapGraph(ctx: MethodContext, rules: RuleSet, objective: Objective, method: string, pairedWith?: RuleSet): Promise<AttentionTapGraph> {
  const model = ctx.model.model;
  if (softmaxCandidates(model).length === 0) throw noAttention(ctx, method, 'it has no Softmax node');
  const candidates = attentionTapCandidates(model, ctx.model.resolved.card.output.name);
  if (candidates.length === 0) throw noAttention(ctx, method, 'none of its Softmax nodes lies before the class scores');
  const graph = await ctx.graph(rules, objective, { taps: candidates.map((c) => c.tensor), inputGradient: false, ...(pairedWith ? { pairedWith } : {}) });
  const axes = candidates.map((c) => c.axis);
  return { graph, axes: pairedWith ? [...axes, ...axes] : axes };
}

/**
 * Runs the tap graph on the inputs (one run for up to a batch of rows) and keeps, per input, the
 * objective's value and the taps shaped like attention probabilities: [1, heads, T, T] (or [heads, T, T] with batch and
 * heads merged) over the last axis, every block over the same tokens.
 */
export async function tappedAttention(ctx: MethodContext, { graph, axes }: AttentionTapGraph, inputs: Float32Array[], method: string): Promise<Array<{ objective: number; blocks: TappedAttention[] }>> {
  const shapes = graph.graph.io.taps.map((tap, k) => {
    const shape = attentionShape(tap.dims, axes[k]!);
    if (shape === 'windowed') throw windowedAttention(method, tap.tensor, [...tap.dims]);
    return shape ? { tensor: tap.tensor, ...shape } : undefined;
  });
  const kept = shapes.flatMap((s, k) => (s ? [{ ...s, k }] : []));
  if (kept.length === 0) throw noAttention(ctx, method, `none of its ${new Set(graph.graph.io.taps.map((t) => t.tensor)).size} Softmax node(s) before the class scores gives attention probabilities [batch, heads, tokens, tokens]`);
  const tokens = kept[0]!.tokens;
  const other = kept.find((b) => b.tokens !== tokens);
  if (other) {
    throw new LumenError(
      'unsupported-model',
      `${method} needs every attention block to attend over the same tokens, but ${kept[0]!.tensor} has ${tokens} and ${other.tensor} has ${other.tokens} (windowed or pooled attention, as in Swin).`,
      'Use Grad-CAM on a token layer or a gradient method for this model.',
    );
  }
  // Each input for its own class where a batched call gives several (an audit's batch).
  const rows = await graph.run(
    inputs.map((input, i) => ({ input, seed: graph.seedFor(targetOf(ctx, i)) })),
    graph.seedFor(ctx.target),
    ctx.runOptions,
  );
  return rows.map((row) => ({
    objective: row.objective,
    blocks: kept.map(({ tensor, heads, tokens: t, k }) => ({ tensor, heads, tokens: t, attention: row.taps[k]!.value.slice(), signal: row.taps[k]!.gradient.slice() })),
  }));
}

function noAttention(ctx: MethodContext, method: string, why: string): LumenError {
  return new LumenError(
    'unsupported-model',
    `${method} found no attention in ${ctx.model.fileName}: it looks for the Softmax over the key axis of each attention block (output [batch, heads, tokens, tokens]), and ${why}.`,
    `${method} applies to transformers (ViT, DeiT and the like); use a gradient, CAM or perturbation method for this model.`,
    { model: ctx.model.fileName },
  );
}
