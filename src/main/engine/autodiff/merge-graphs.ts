import { LumenError } from '../../../shared/errors';
import { constantNodeValue, GraphIndex } from '../onnx/graph-index';
import { DataType, type Attribute, type Graph, type Model, type Node, type Tensor, type ValueInfo } from '../onnx/ir';
import { floatValues, intValues } from '../onnx/tensor-values';
import type { CompiledInterface } from './compile';

/** A compiled graph's model and interface, as far as merging needs them. */
export interface MergeableGraph {
  model: Model;
  io: CompiledInterface;
}

export interface MergedGraphs {
  model: Model;
  /** The first graph's interface, its taps followed by the second graph's (same tensors, the second's signals). */
  io: CompiledInterface;
  /** Nodes of the second graph that compute what a node of the first already does, so are not repeated. */
  sharedNodes: number;
}

/**
 * One model that computes two compiled graphs of the same model (e.g. its gradient and its LRP
 * relevance) in one onnxruntime run, with the forward pass done once. The second graph's image and
 * seed inputs are the first's; its initializers are the first's constants where name and value
 * are equal, else renamed with `prefix`, as is every tensor and node it adds. Its nodes are visited
 * in topological order and one that has the same op, attributes and (renamed) inputs as a node
 * already there is not added: its outputs are that node's. The forward, identical in both, so
 * appears once by construction, without relying on onnxruntime's common-subexpression
 * elimination. Only the second graph's tap signals become outputs; its objective and tap values
 * are the first's.
 */
export function mergeGraphs(first: MergeableGraph, second: MergeableGraph, prefix: string): MergedGraphs {
  const a = first.model.graph;
  const b = second.model.graph;
  const rename = new Map<string, string>([['', '']]);
  for (const input of b.inputs) {
    const shared = input.name === second.io.image ? first.io.image : input.name === second.io.seed ? first.io.seed : undefined;
    if (shared === undefined) throw new LumenError('internal', `Merging attribution graphs: the second graph's input "${input.name}" is neither the image nor the seed.`);
    rename.set(input.name, shared);
  }

  // What each node of the first graph computes, over canonical inputs: where the graph computes
  // one thing twice (the exporter's repeated Shape nodes), the first copy stands for both.
  const computed = new Map<string, Node>();
  const canonical = new Map<string, string>();
  const canonicalOf = (name: string): string => canonical.get(name) ?? name;
  for (const node of new GraphIndex(a).topologicalOrder()) {
    const key = nodeKey(node, node.inputs.map(canonicalOf));
    if (key === undefined) continue;
    const same = computed.get(key);
    if (same) node.outputs.forEach((o, i) => canonical.set(o, canonicalOf(same.outputs[i]!)));
    else computed.set(key, node);
  }
  // The first graph's constants by name: initializers, Constant nodes and Identity nodes of
  // constants (the exporter's shared biases), which the second graph may have folded into
  // initializers of the same name.
  const firstInitializers = new Map(a.initializers.map((t) => [t.name, t]));
  for (const node of new GraphIndex(a).topologicalOrder()) {
    const name = node.outputs[0];
    if (!name || firstInitializers.has(name)) continue;
    const value = node.opType === 'Constant' ? constantNodeValue(node) : node.opType === 'Identity' ? firstInitializers.get(node.inputs[0]!) : undefined;
    if (value) firstInitializers.set(name, value);
  }
  const initializers = [...a.initializers];
  for (const t of b.initializers) {
    const same = firstInitializers.get(t.name);
    if (same && sameTensor(same, t)) {
      rename.set(t.name, canonicalOf(t.name));
    } else {
      rename.set(t.name, prefix + t.name);
      initializers.push({ ...t, name: prefix + t.name });
    }
  }

  const nodes = [...a.nodes];
  let sharedNodes = 0;
  for (const node of new GraphIndex(b).topologicalOrder()) {
    const inputs = node.inputs.map((name) => {
      const renamed = rename.get(name);
      if (renamed === undefined) throw new LumenError('internal', `Merging attribution graphs: "${name}" is used before it is made.`);
      return renamed;
    });
    const key = nodeKey(node, inputs);
    const same = key === undefined ? undefined : computed.get(key);
    if (same && same.outputs.length === node.outputs.length) {
      node.outputs.forEach((o, i) => rename.set(o, canonicalOf(same.outputs[i]!)));
      sharedNodes += 1;
      continue;
    }
    const added: Node = { ...node, name: prefix + (node.name || node.opType), inputs, outputs: node.outputs.map((o) => (o ? prefix + o : o)) };
    node.outputs.forEach((o, i) => rename.set(o, added.outputs[i]!));
    if (key !== undefined) computed.set(nodeKey(added, inputs)!, added);
    nodes.push(added);
  }

  const renamed = (name: string): string => {
    const r = rename.get(name);
    if (r === undefined) throw new LumenError('internal', `Merging attribution graphs: the second graph's output "${name}" is not made by any node.`);
    return r;
  };
  // A tap's value is the forward tensor's, which the first graph returns already.
  const taps = second.io.taps.map((t) => ({ ...t, value: first.io.taps.find((f) => f.tensor === t.tensor)?.value ?? missingTap(t.tensor), gradient: renamed(t.gradient) }));
  const outputNames = new Set(a.outputs.map((o) => o.name));
  const outputs: ValueInfo[] = [...a.outputs];
  for (const tap of second.io.taps) {
    const name = renamed(tap.gradient);
    if (outputNames.has(name)) continue;
    outputNames.add(name);
    const info = b.outputs.find((o) => o.name === tap.gradient);
    outputs.push({ ...(info ?? { name }), name });
  }
  const known = new Set(a.valueInfo.map((v) => v.name));
  const valueInfo = [...a.valueInfo, ...b.valueInfo.flatMap((v) => {
    const name = rename.get(v.name);
    if (name === undefined || known.has(name)) return [];
    known.add(name);
    return [{ ...v, name }];
  })];

  const graph: Graph = { ...a, nodes, initializers, outputs, valueInfo };
  const functions = [...first.model.functions, ...second.model.functions.filter((f) => !first.model.functions.some((g) => g.domain === f.domain && g.name === f.name && g.overload === f.overload))];
  const opsets = [...first.model.opsets, ...second.model.opsets.filter((o) => !first.model.opsets.some((p) => p.domain === o.domain))];
  return {
    model: { ...first.model, irVersion: Math.max(first.model.irVersion, second.model.irVersion), opsets, functions, graph },
    io: { ...first.io, taps: [...first.io.taps, ...taps] },
    sharedNodes,
  };
}

function missingTap(tensor: string): never {
  throw new LumenError('internal', `Merging attribution graphs: the second graph taps "${tensor}", which the first does not.`);
}

/** Ops whose outputs differ between two calls with the same inputs: never shared. */
const nondeterministic = new Set(['RandomNormal', 'RandomNormalLike', 'RandomUniform', 'RandomUniformLike', 'Multinomial', 'Bernoulli', 'Dropout']);

/** What a node computes: op, domain, attributes and inputs; undefined for ops never shared. */
function nodeKey(node: Node, inputs: string[]): string | undefined {
  if (nondeterministic.has(node.opType)) return undefined;
  return JSON.stringify([node.domain, node.opType, node.overload ?? '', node.outputs.length, inputs, node.attributes.map(attributeKey)]);
}

function attributeKey(attribute: Attribute): unknown {
  return JSON.stringify(attribute, (_, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value));
}

function sameTensor(x: Tensor, y: Tensor): boolean {
  if (x.dataType !== y.dataType || x.dims.length !== y.dims.length || x.dims.some((d, i) => d !== y.dims[i])) return false;
  if (x.external || y.external) return JSON.stringify(x.external) === JSON.stringify(y.external);
  if (x.raw && y.raw) return Buffer.from(x.raw.buffer, x.raw.byteOffset, x.raw.byteLength).equals(Buffer.from(y.raw.buffer, y.raw.byteOffset, y.raw.byteLength));
  // The same value written two ways (raw bytes in one graph, typed fields in the other).
  try {
    if (x.dataType === DataType.FLOAT || x.dataType === DataType.DOUBLE || x.dataType === DataType.FLOAT16) {
      const [u, v] = [floatValues(x), floatValues(y)];
      return Buffer.from(u.buffer, u.byteOffset, u.byteLength).equals(Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    }
    const [u, v] = [intValues(x), intValues(y)];
    return u.length === v.length && u.every((value, i) => value === v[i]);
  } catch {
    return false;
  }
}
