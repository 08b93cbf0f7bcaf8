import { AttributeType, DataType, type Model, type Node, type Tensor } from '../onnx/ir';
import { floatTensor, floatValues } from '../onnx/tensor-values';
import { Rng } from '../random/rng';

/** BatchNormalization's epsilon here; the running variance 1 - epsilon makes its divisor exactly 1. */
const epsilon = 1e-5;

/**
 * The same function written another way, for the implementation-invariance axiom: after every
 * float32 Conv, a BatchNormalization with random scale γ and shift β (mean 0, variance 1 - ε), and
 * the Conv's weights divided by γ and bias set to (b - β) / γ per output channel, so that
 * BN(Conv'(x)) = Conv(x) up to rounding. Gradient methods depend only on the function and must
 * give the same attributions; rule-based ones (DeepLIFT, LRP) may not. Returns the model unchanged
 * and 0 when it has no such Conv.
 */
export function withInsertedBatchNorms(model: Model, seed: number): { model: Model; inserted: number } {
  const rng = new Rng(seed);
  const byName = new Map(model.graph.initializers.map((t) => [t.name, t]));
  const replaced = new Map<string, Tensor>();
  const added: Tensor[] = [];
  const nodes: Node[] = [];
  let inserted = 0;
  model.graph.nodes.forEach((node, index) => {
    const weight = node.opType === 'Conv' && node.domain === '' ? byName.get(node.inputs[1] ?? '') : undefined;
    if (!weight || weight.dataType !== DataType.FLOAT || node.outputs.length !== 1) {
      nodes.push(node);
      return;
    }
    const channels = weight.dims[0]!;
    const perChannel = weight.dims.slice(1).reduce((a, b) => a * b, 1);
    const gamma = Float32Array.from({ length: channels }, () => 0.5 + 1.5 * rng.uniform());
    const beta = Float32Array.from({ length: channels }, () => rng.uniform() - 0.5);
    const w = floatValues(weight);
    const biasName = node.inputs[2];
    const b = biasName ? floatValues(byName.get(biasName)!) : new Float32Array(channels);
    const prefix = `lumen_equivalent_${index}`;
    replaced.set(weight.name, floatTensor(weight.name, weight.dims, w.map((v, i) => v / gamma[Math.floor(i / perChannel)]!)));
    const newBias = `${prefix}_bias`;
    added.push(
      floatTensor(newBias, [channels], b.map((v, c) => (v - beta[c]!) / gamma[c]!)),
      floatTensor(`${prefix}_gamma`, [channels], gamma),
      floatTensor(`${prefix}_beta`, [channels], beta),
      floatTensor(`${prefix}_mean`, [channels], new Float32Array(channels)),
      floatTensor(`${prefix}_var`, [channels], new Float32Array(channels).fill(1 - epsilon)),
    );
    const output = node.outputs[0]!;
    nodes.push({ ...node, inputs: [node.inputs[0]!, weight.name, newBias], outputs: [`${prefix}_conv`] });
    nodes.push({
      name: `${prefix}_bn`,
      opType: 'BatchNormalization',
      domain: '',
      inputs: [`${prefix}_conv`, `${prefix}_gamma`, `${prefix}_beta`, `${prefix}_mean`, `${prefix}_var`],
      outputs: [output],
      attributes: [{ name: 'epsilon', type: AttributeType.FLOAT, f: epsilon }],
    });
    inserted++;
  });
  // A weight shared by several Convs would be rescaled once per use: keep such models as they are.
  const uses = new Map<string, number>();
  for (const n of model.graph.nodes) if (n.opType === 'Conv') uses.set(n.inputs[1] ?? '', (uses.get(n.inputs[1] ?? '') ?? 0) + 1);
  if ([...uses.values()].some((u) => u > 1) || inserted === 0) return { model, inserted: 0 };
  return {
    model: { ...model, graph: { ...model.graph, nodes, initializers: [...model.graph.initializers.map((t) => replaced.get(t.name) ?? t), ...added] } },
    inserted,
  };
}
