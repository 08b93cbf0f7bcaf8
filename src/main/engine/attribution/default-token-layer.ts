import type { GraphIndex } from '../onnx/graph-index';
import type { Probe } from '../onnx/shape-probe';

/** What the rule needs of a token layer. */
export interface TokenLayerCandidate {
  name: string;
  channels: number;
}

/** The tensors the named one is computed from (itself included). */
function ancestorsOf(index: GraphIndex, name: string): Set<string> {
  const seen = new Set<string>([name]);
  const stack = [name];
  while (stack.length > 0) {
    const node = index.producer.get(stack.pop()!)?.node;
    if (!node) continue;
    for (const input of node.inputs) if (input && !seen.has(input)) (seen.add(input), stack.push(input));
  }
  return seen;
}

/**
 * Whether the class scores read one token (the class token, `x[:, 0]`: a Gather or Slice along the
 * token axis of a token layer) rather than pooling all of them.
 */
function readsOneToken(index: GraphIndex, probe: Probe, tokenNames: Set<string>, onPathToScores: Set<string>): boolean {
  for (const name of tokenNames) {
    for (const node of index.consumers.get(name) ?? []) {
      if ((node.opType !== 'Gather' && node.opType !== 'Slice') || !onPathToScores.has(node.outputs[0] ?? '')) continue;
      const out = probe.get(node.outputs[0]!)?.dims;
      const tokensBefore = probe.get(name)!.dims[1]!;
      if (out && (out.length === 2 || (out.length === 3 && out[1]! < tokensBefore / 2))) return true;
    }
  }
  return false;
}

/**
 * Which token layer Grad-CAM and its relatives use by default, as an index into `layers` (graph
 * order). Only layers as wide as the last one (the residual stream, not the attention's q/k/v or the
 * MLP's hidden layer) qualify. When the class scores read only the class token, the patch tokens
 * after the last attention no longer reach the scores (their gradient is exactly zero), so the
 * default is the last such layer that feeds the last attention softmax: the last block's first
 * norm, pytorch-grad-cam's advice for ViTs (`blocks[-1].norm1`). When the scores pool all tokens,
 * it is the last such layer.
 */
export function defaultTokenLayer(layers: readonly TokenLayerCandidate[], index: GraphIndex, probe: Probe, onPathToScores: Set<string>): number {
  // The residual stream's width where the tokens leave the network (the final norm): Swin-like models widen it stage by stage.
  const width = layers[layers.length - 1]?.channels;
  const wide = layers.map((l, i) => ({ l, i })).filter(({ l }) => l.channels === width);
  const last = wide[wide.length - 1]?.i ?? layers.length - 1;
  if (!readsOneToken(index, probe, new Set(layers.map((l) => l.name)), onPathToScores)) return last;
  const attention = index
    .topologicalOrder()
    .filter((n) => n.opType === 'Softmax' && (probe.get(n.outputs[0] ?? '')?.dims.length ?? 0) >= 3 && onPathToScores.has(n.outputs[0] ?? ''));
  const lastAttention = attention[attention.length - 1];
  if (!lastAttention) return last;
  const feeding = ancestorsOf(index, lastAttention.outputs[0]!);
  const before = wide.filter(({ l }) => feeding.has(l.name));
  return before[before.length - 1]?.i ?? last;
}
