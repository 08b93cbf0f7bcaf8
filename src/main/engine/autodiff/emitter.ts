import type { Attribute, Node, Tensor } from '../onnx/ir';
import { floatTensor, int64Tensor } from '../onnx/tensor-values';

export type AttrValue = number | number[] | string | { floats: number[] } | { float: number };

/**
 * Appends nodes and constants to the graph being compiled, in the forms valid at its opset (axes
 * as inputs from 13 for ReduceSum/Squeeze/Unsqueeze, from 18 for the other reductions). Every
 * name it makes starts with a prefix no exporter uses, so it never collides with the model's.
 */
export class Emitter {
  readonly nodes: Node[] = [];
  readonly initializers: Tensor[] = [];
  private counter = 0;
  private readonly constants = new Map<string, string>();

  constructor(
    readonly opset: number,
    private readonly prefix = 'lumen_',
  ) {}

  fresh(hint: string): string {
    return `${this.prefix}${hint}_${this.counter++}`;
  }

  /** Emits one node; returns its output names. */
  node(opType: string, inputs: string[], attributes: Record<string, AttrValue> = {}, outputCount = 1, domain = ''): string[] {
    const outputs = Array.from({ length: outputCount }, () => this.fresh(opType.toLowerCase()));
    this.nodes.push({ name: this.fresh(`n_${opType}`), opType, domain, inputs, outputs, attributes: toAttributes(attributes) });
    return outputs;
  }

  op(opType: string, inputs: string[], attributes: Record<string, AttrValue> = {}): string {
    return this.node(opType, inputs, attributes)[0]!;
  }

  /** A float32 constant (deduplicated for scalars and small arrays). */
  floats(values: ArrayLike<number>, dims: number[] = [values.length]): string {
    const key = values.length <= 16 ? `f:${dims.join('x')}:${Array.from(values).join(',')}` : undefined;
    if (key && this.constants.has(key)) return this.constants.get(key)!;
    const name = this.fresh('const');
    this.initializers.push(floatTensor(name, dims, values));
    if (key) this.constants.set(key, name);
    return name;
  }

  scalar(value: number): string {
    return this.floats([value], []);
  }

  ints(values: readonly number[], dims: number[] = [values.length]): string {
    const key = values.length <= 16 ? `i:${dims.join('x')}:${values.join(',')}` : undefined;
    if (key && this.constants.has(key)) return this.constants.get(key)!;
    const name = this.fresh('ints');
    this.initializers.push({ ...int64Tensor(name, dims, values) });
    if (key) this.constants.set(key, name);
    return name;
  }

  // --- arithmetic --------------------------------------------------------------------------------
  add(a: string, b: string): string {
    return this.op('Add', [a, b]);
  }
  sub(a: string, b: string): string {
    return this.op('Sub', [a, b]);
  }
  mul(a: string, b: string): string {
    return this.op('Mul', [a, b]);
  }
  div(a: string, b: string): string {
    return this.op('Div', [a, b]);
  }
  neg(a: string): string {
    return this.op('Neg', [a]);
  }
  where(condition: string, a: string, b: string): string {
    return this.op('Where', [condition, a, b]);
  }
  /** Keeps `g` where `condition` holds, zero elsewhere. */
  mask(condition: string, g: string): string {
    return this.where(condition, g, this.scalar(0));
  }
  sum(values: string[]): string {
    return values.length === 1 ? values[0]! : this.op('Sum', values);
  }

  // --- shapes ---------------------------------------------------------------------------------------
  shape(x: string): string {
    return this.op('Shape', [x]);
  }
  reshape(x: string, shape: string): string {
    return this.op('Reshape', [x, shape]);
  }
  /** Reshapes `x` to the (runtime) shape of `like`. */
  reshapeLike(x: string, like: string): string {
    return this.reshape(x, this.shape(like));
  }
  expandLike(x: string, like: string): string {
    return this.op('Expand', [x, this.shape(like)]);
  }
  transpose(x: string, perm: number[]): string {
    return this.op('Transpose', [x], { perm });
  }
  zerosLike(x: string): string {
    return this.op('ConstantOfShape', [this.shape(x)], { value: { floats: [0] } });
  }
  unsqueeze(x: string, axes: number[]): string {
    return this.opset >= 13 ? this.op('Unsqueeze', [x, this.ints(axes)]) : this.op('Unsqueeze', [x], { axes });
  }
  squeeze(x: string, axes: number[]): string {
    return this.opset >= 13 ? this.op('Squeeze', [x, this.ints(axes)]) : this.op('Squeeze', [x], { axes });
  }
  slice(x: string, starts: number[], ends: number[], axes: number[], steps?: number[]): string {
    const inputs = [x, this.ints(starts), this.ints(ends), this.ints(axes)];
    if (steps) inputs.push(this.ints(steps));
    return this.op('Slice', inputs);
  }
  pad(x: string, pads: number[]): string {
    return this.op('Pad', [x, this.ints(pads)], { mode: 'constant' });
  }
  concat(values: string[], axis: number): string {
    return this.op('Concat', values, { axis });
  }

  // --- reductions -----------------------------------------------------------------------------------
  reduce(op: 'ReduceSum' | 'ReduceMean' | 'ReduceMax', x: string, axes: number[], keepdims = true): string {
    const axesAsInput = op === 'ReduceSum' ? this.opset >= 13 : this.opset >= 18;
    return axesAsInput
      ? this.op(op, [x, this.ints(axes)], { keepdims: keepdims ? 1 : 0 })
      : this.op(op, [x], { axes, keepdims: keepdims ? 1 : 0 });
  }
  reduceSum(x: string, axes: number[], keepdims = true): string {
    return this.reduce('ReduceSum', x, axes, keepdims);
  }
}

function toAttributes(values: Record<string, AttrValue>): Attribute[] {
  return Object.entries(values).map(([name, v]): Attribute => {
    if (typeof v === 'number') return Number.isInteger(v) ? { name, type: 2, i: v } : { name, type: 1, f: v };
    if (typeof v === 'string') return { name, type: 3, s: new TextEncoder().encode(v) };
    if (Array.isArray(v)) return { name, type: 7, ints: v };
    if ('float' in v) return { name, type: 1, f: v.float };
    // A tensor-valued attribute (ConstantOfShape's value): one float32.
    return { name, type: 4, t: floatTensor('', [1], v.floats) };
  });
}
