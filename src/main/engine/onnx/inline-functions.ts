import { LumenError } from '../../../shared/errors';
import type { Attribute, Graph, Model, Node, OnnxFunction, OpsetId } from './ir';
import { sameOrigin } from './origin';
import { quote } from './quote';

/** More nodes than any classifier has: a function tree that expands past this is refused, not built. */
const maxNodes = 2_000_000;

/**
 * Expands every call of a model-local function (FunctionProto, as PyTorch's dynamo exporter and
 * onnxscript write them) into the function's nodes, so that the compiler, which knows operators and
 * not functions, sees a plain graph. Formal inputs and outputs become the call's values, attributes
 * that refer to the caller's (`ref_attr_name`) take the call's value or the function's default, and
 * values inside a function get names unique in the model. Calls inside functions are expanded in
 * turn; a function that calls itself, directly or through others, is refused.
 */
export function inlineFunctions(model: Model): Model {
  if (model.functions.length === 0) return model;
  const functions = new Map(model.functions.map((f) => [functionKey(f.domain, f.name, f.overload), f]));
  const inliner = new Inliner(functions, namesIn(model.graph));
  const graph = inliner.graph(model.graph);
  if (inliner.calls === 0) return model;
  const inlined: Model = { ...model, opsets: mergeOpsets(model, inliner.usedFunctions), graph, functions: [] };
  return sameOrigin(inlined, model);
}

function functionKey(domain: string, name: string, overload: string | undefined): string {
  return `${domain}\u0000${name}\u0000${overload ?? ''}`;
}

class Inliner {
  calls = 0;
  readonly usedFunctions = new Set<OnnxFunction>();
  private nodeCount = 0;

  constructor(
    private readonly functions: Map<string, OnnxFunction>,
    private readonly used: Set<string>,
  ) {}

  graph(g: Graph, stack: OnnxFunction[] = []): Graph {
    const nodes = this.nodes(g.nodes, stack);
    if (nodes === g.nodes) return g;
    return sameOrigin({ ...g, nodes }, g);
  }

  /** The nodes with every call expanded; the same array when there was nothing to expand. */
  private nodes(nodes: Node[], stack: OnnxFunction[]): Node[] {
    let changed = false;
    const out: Node[] = [];
    for (const node of nodes) {
      const fn = this.functions.get(functionKey(node.domain, node.opType, node.overload));
      if (!fn) {
        const expanded = this.subgraphs(node, stack);
        changed ||= expanded !== node;
        out.push(expanded);
        this.count(1);
        continue;
      }
      if (stack.includes(fn)) {
        const cycle = [...stack.slice(stack.indexOf(fn)), fn].map((f) => quote(f.name).slice(1, -1)).join(' → ');
        throw new LumenError('unsupported-model', `The model's function ${quote(fn.name)} calls itself (${cycle}), so it cannot be expanded into a graph.`, 'Export the model without recursive functions (e.g. torch.onnx.export with dynamo=False).');
      }
      this.calls += 1;
      this.usedFunctions.add(fn);
      changed = true;
      out.push(...this.nodes(this.instantiate(fn, node), [...stack, fn]));
    }
    return changed ? out : nodes;
  }

  private count(n: number): void {
    this.nodeCount += n;
    if (this.nodeCount > maxNodes) {
      throw new LumenError('unsupported-model', `Expanding the model's functions gives more than ${maxNodes.toLocaleString('en')} nodes.`, 'Export the model without model-local functions (e.g. torch.onnx.export with dynamo=False).');
    }
  }

  /** A node whose subgraphs (If, Loop, Scan bodies) have their calls expanded. */
  private subgraphs(node: Node, stack: OnnxFunction[]): Node {
    if (!node.attributes.some((a) => a.g || a.graphs)) return node;
    const attributes = node.attributes.map((a) => {
      if (!a.g && !a.graphs) return a;
      const copy: Attribute = { ...a };
      if (a.g) copy.g = this.graph(a.g, stack);
      if (a.graphs) copy.graphs = a.graphs.map((g) => this.graph(g, stack));
      return sameOrigin(copy, a);
    });
    return sameOrigin({ ...node, attributes }, node);
  }

  /** The function's nodes for one call: values renamed into the caller's graph, attributes resolved. */
  private instantiate(fn: OnnxFunction, call: Node): Node[] {
    const prefix = call.name || `${fn.name}_call`;
    const rename = new Map<string, string>();
    fn.inputs.forEach((formal, i) => rename.set(formal, call.inputs[i] ?? ''));
    fn.outputs.forEach((formal, i) => {
      const actual = call.outputs[i];
      rename.set(formal, actual !== undefined && actual !== '' ? actual : this.fresh(`${prefix}/${formal}`));
    });
    for (const node of fn.nodes) for (const output of node.outputs) if (output !== '' && !rename.has(output)) rename.set(output, this.fresh(`${prefix}/${output}`));
    const given = new Map<string, Attribute>();
    for (const a of fn.attributeDefaults) given.set(a.name, a);
    for (const a of call.attributes) given.set(a.name, a);
    this.count(fn.nodes.length);
    return fn.nodes.map((node) => this.renamed(node, rename, given, prefix));
  }

  private renamed(node: Node, rename: Map<string, string>, given: Map<string, Attribute>, prefix: string): Node {
    const copy: Node = {
      ...node,
      name: this.fresh(`${prefix}/${node.name || node.opType}`),
      inputs: node.inputs.map((v) => rename.get(v) ?? v),
      outputs: node.outputs.map((v) => rename.get(v) ?? v),
      attributes: node.attributes.flatMap((a) => this.resolved(a, rename, given, prefix)),
    };
    return sameOrigin(copy, node);
  }

  /** An attribute with its reference resolved (none when neither the call nor a default gives one). */
  private resolved(a: Attribute, rename: Map<string, string>, given: Map<string, Attribute>, prefix: string): Attribute[] {
    if (a.refAttrName) {
      const value = given.get(a.refAttrName);
      if (!value) return [];
      const copy: Attribute = { ...value, name: a.name };
      delete copy.refAttrName;
      return [sameOrigin(copy, value)];
    }
    if (!a.g && !a.graphs) return [a];
    const copy: Attribute = { ...a };
    if (a.g) copy.g = this.renamedGraph(a.g, rename, given, prefix);
    if (a.graphs) copy.graphs = a.graphs.map((g) => this.renamedGraph(g, rename, given, prefix));
    return [sameOrigin(copy, a)];
  }

  /** A subgraph inside a function body: its references to the body's values renamed, its own values kept. */
  private renamedGraph(g: Graph, rename: Map<string, string>, given: Map<string, Attribute>, prefix: string): Graph {
    const local = new Set([...g.inputs.map((v) => v.name), ...g.initializers.map((t) => t.name), ...g.nodes.flatMap((n) => n.outputs)]);
    const outer = new Map([...rename].filter(([name]) => !local.has(name)));
    const nodes = g.nodes.map((node) => {
      const copy: Node = {
        ...node,
        inputs: node.inputs.map((v) => outer.get(v) ?? v),
        attributes: node.attributes.flatMap((a) => this.resolved(a, outer, given, prefix)),
      };
      return sameOrigin(copy, node);
    });
    const outputs = g.outputs.map((v) => (outer.has(v.name) ? sameOrigin({ ...v, name: outer.get(v.name)! }, v) : v));
    return sameOrigin({ ...g, nodes, outputs }, g);
  }

  /** `base`, or `base_2`, `base_3`...: a name no value or node of the model has. */
  private fresh(base: string): string {
    let name = base;
    for (let n = 2; this.used.has(name); n++) name = `${base}_${n}`;
    this.used.add(name);
    return name;
  }
}

/** Every value and node name in a graph and its subgraphs. */
function namesIn(graph: Graph, into = new Set<string>()): Set<string> {
  for (const v of [...graph.inputs, ...graph.outputs, ...graph.valueInfo]) into.add(v.name);
  for (const t of graph.initializers) into.add(t.name);
  for (const node of graph.nodes) {
    into.add(node.name);
    for (const v of [...node.inputs, ...node.outputs]) into.add(v);
    for (const a of node.attributes) for (const g of [a.g, ...(a.graphs ?? [])]) if (g) namesIn(g, into);
  }
  return into;
}

/** The model's operator sets plus those its expanded functions import; a version conflict is refused. */
function mergeOpsets(model: Model, used: Set<OnnxFunction>): OpsetId[] {
  const opsets = [...model.opsets];
  const canonical = (domain: string): string => (domain === 'ai.onnx' ? '' : domain);
  for (const fn of used) {
    for (const opset of fn.opsets) {
      const have = opsets.find((o) => canonical(o.domain) === canonical(opset.domain));
      if (!have) opsets.push({ domain: opset.domain, version: opset.version });
      else if (have.version !== opset.version) {
        throw new LumenError(
          'unsupported-model',
          `The model's function ${quote(fn.name)} uses version ${opset.version} of the ${quote(opset.domain || 'ai.onnx')} operator set while the model uses version ${have.version}; Lumen cannot expand it into the graph.`,
          'Export the model with one opset version throughout.',
        );
      }
    }
  }
  return opsets;
}
