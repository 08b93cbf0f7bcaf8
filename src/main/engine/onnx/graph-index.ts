import type { Attribute, Graph, Node, Tensor } from './ir';

/**
 * Lookups over a graph that every pass needs: who produces a tensor, who consumes it, which
 * tensors are constants (initializers or Constant nodes), and a topological order.
 */
export class GraphIndex {
  readonly producer = new Map<string, { node: Node; index: number }>();
  readonly consumers = new Map<string, Node[]>();
  readonly initializers = new Map<string, Tensor>();

  constructor(readonly graph: Graph) {
    for (const t of graph.initializers) this.initializers.set(t.name, t);
    for (const node of graph.nodes) {
      node.outputs.forEach((name, index) => {
        if (name) this.producer.set(name, { node, index });
      });
      for (const name of node.inputs) {
        if (!name) continue;
        const list = this.consumers.get(name);
        if (list) list.push(node);
        else this.consumers.set(name, [node]);
      }
    }
  }

  /** The constant tensor behind a name: an initializer or the value of a Constant node. */
  constant(name: string): Tensor | undefined {
    const init = this.initializers.get(name);
    if (init) return init;
    const p = this.producer.get(name);
    if (p?.node.opType === 'Constant') return constantNodeValue(p.node);
    return undefined;
  }

  /** Nodes in an order where every node comes after the producers of its inputs. */
  topologicalOrder(): Node[] {
    const ready = new Set<string>([...this.initializers.keys(), ...this.graph.inputs.map((i) => i.name), '']);
    const pending = [...this.graph.nodes];
    const order: Node[] = [];
    let progress = true;
    while (pending.length > 0 && progress) {
      progress = false;
      for (let i = 0; i < pending.length; i++) {
        const node = pending[i]!;
        if (node.inputs.every((n) => ready.has(n) || !this.producer.has(n))) {
          order.push(node);
          for (const o of node.outputs) ready.add(o);
          pending.splice(i, 1);
          i--;
          progress = true;
        }
      }
    }
    if (pending.length > 0) throw new Error(`the graph has a cycle through node "${pending[0]!.name || pending[0]!.opType}"`);
    return order;
  }
}

/** Constant nodes carry their value in one of several attributes. */
export function constantNodeValue(node: Node): Tensor | undefined {
  for (const attr of node.attributes) {
    if (attr.name === 'value' && attr.t) return { ...attr.t, name: node.outputs[0] ?? '' };
    if (attr.name === 'value_float' && attr.f !== undefined) return { name: node.outputs[0] ?? '', dims: [], dataType: 1, floatData: [attr.f] };
    if (attr.name === 'value_floats' && attr.floats) return { name: node.outputs[0] ?? '', dims: [attr.floats.length], dataType: 1, floatData: attr.floats };
    if (attr.name === 'value_int' && attr.i !== undefined) return { name: node.outputs[0] ?? '', dims: [], dataType: 7, int64Data: [attr.i] };
    if (attr.name === 'value_ints' && attr.ints) return { name: node.outputs[0] ?? '', dims: [attr.ints.length], dataType: 7, int64Data: attr.ints };
  }
  return undefined;
}

/** Typed access to a node's attributes with ONNX defaults. */
export class Attributes {
  private readonly byName: Map<string, Attribute>;

  constructor(readonly node: Node) {
    this.byName = new Map(node.attributes.map((a) => [a.name, a]));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  int(name: string, fallback: number): number {
    return this.byName.get(name)?.i ?? fallback;
  }

  float(name: string, fallback: number): number {
    return this.byName.get(name)?.f ?? fallback;
  }

  ints(name: string): number[] | undefined {
    const a = this.byName.get(name);
    return a ? (a.ints ?? []) : undefined;
  }

  floats(name: string): number[] | undefined {
    const a = this.byName.get(name);
    return a ? (a.floats ?? []) : undefined;
  }

  string(name: string, fallback: string): string {
    const s = this.byName.get(name)?.s;
    return s ? new TextDecoder().decode(s) : fallback;
  }
}
