import type { Attribute, Node, Tensor } from '../onnx/ir';
import { floatTensor, int64Tensor } from '../onnx/tensor-values';

export type AttrValue = number | number[] | string | { floats: number[] } | { float: number };

/**
 * A gradient put back in place by a Slice's backward: `source` zero-padded along `axis` to fill
 * [start, start + length) of an axis `size` long, in a tensor of `rank` axes.
 */
interface Window {
  source: string;
  axis: number;
  start: number;
  length: number;
  size: number;
  rank: number;
}

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
  private readonly windows = new Map<string, Window>();

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

  /** A float32 tensor of ones, one per shape (every layer norm of a width shares it). */
  ones(dims: number[]): string {
    const key = `ones:${dims.join('x')}`;
    if (this.constants.has(key)) return this.constants.get(key)!;
    const name = this.fresh('ones');
    this.initializers.push(floatTensor(name, dims, new Array<number>(dims.reduce((a, b) => a * b, 1)).fill(1)));
    this.constants.set(key, name);
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
  /**
   * The sum of gradient contributions. Windows (placeWindow) that tile a stretch of one axis are
   * joined with one Concat instead: a tensor split by Slices (a transformer's fused q/k/v
   * projection) then gets its gradient without a zero-padded copy per slice and a Sum over them.
   */
  sum(values: string[]): string {
    const joined = this.joinWindows(values);
    return joined.length === 1 ? joined[0]! : this.op('Sum', joined);
  }

  /**
   * Zero-pads `x` along `axis` so that it fills [start, start + length) of an axis `size` long
   * (the backward of a Slice along one axis), and remembers it as a window for `sum`.
   */
  placeWindow(x: string, window: Omit<Window, 'source'>): string {
    const pads = new Array<number>(window.rank * 2).fill(0);
    pads[window.axis] = window.start;
    pads[window.rank + window.axis] = window.size - window.start - window.length;
    const placed = this.pad(x, pads);
    this.windows.set(placed, { ...window, source: x });
    return placed;
  }

  /** `values` with its windows replaced by their concatenation, when they tile one stretch of one axis. */
  private joinWindows(values: string[]): string[] {
    const windows = values.flatMap((v) => {
      const w = this.windows.get(v);
      return w ? [{ name: v, ...w }] : [];
    });
    if (windows.length < 2) return values;
    const [first] = windows;
    const sameAxis = windows.every((w) => w.axis === first!.axis && w.size === first!.size && w.rank === first!.rank);
    const ordered = [...windows].sort((a, b) => a.start - b.start);
    const contiguous = ordered.every((w, i) => i === 0 || ordered[i - 1]!.start + ordered[i - 1]!.length === w.start);
    if (!sameAxis || !contiguous) return values;
    const names = new Set(windows.map((w) => w.name));
    // The padded copies are dropped below, so nothing else may read them.
    if (this.nodes.some((n) => n.inputs.some((i) => names.has(i)))) return values;
    for (let i = this.nodes.length - 1; i >= 0; i--) if (this.nodes[i]!.outputs.some((o) => names.has(o))) this.nodes.splice(i, 1);
    for (const name of names) this.windows.delete(name);
    const { axis, size, rank } = first!;
    const start = ordered[0]!.start;
    const length = ordered.reduce((total, w) => total + w.length, 0);
    const concatenated = this.concat(ordered.map((w) => w.source), axis);
    const joined = start === 0 && length === size ? concatenated : this.placeWindow(concatenated, { axis, start, length, size, rank });
    return [joined, ...values.filter((v) => !names.has(v))];
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
