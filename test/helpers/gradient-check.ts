import { expect } from 'vitest';
import { compileAttributionGraph } from '../../src/main/engine/autodiff/compile';
import type { AttrValue } from '../../src/main/engine/autodiff/emitter';
import { gradientRuleSet, type RuleSet } from '../../src/main/engine/autodiff/rule-set';
import { encodeModel } from '../../src/main/engine/onnx/encode';
import { DataType, type Attribute, type Model, type Tensor } from '../../src/main/engine/onnx/ir';
import { floatTensor, int64Tensor } from '../../src/main/engine/onnx/tensor-values';
import { InferenceSession, OrtTensor } from '../../src/main/engine/runtime/onnxruntime';

/** One operator under test: `x` is the differentiated input; other inputs are constants. */
export interface OpCase {
  op: string;
  x: number[];
  /** Inputs in order: 'x', a float constant, an int64 constant, or '' (absent optional input). */
  inputs?: Array<'x' | '' | { floats: number[]; dims: number[] } | { ints: number[]; dims?: number[] } | { bools: boolean[]; dims: number[] }>;
  attrs?: Record<string, AttrValue>;
  opset?: number;
  /** Values for x: distinct, spaced and away from 0 (piecewise ops), or smooth random. */
  values?: 'spaced' | 'random' | 'positive';
  outputs?: number;
  /** Central-difference step. */
  h?: number;
}

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

function xValues(n: number, kind: OpCase['values'], seed: number): Float32Array {
  const r = rng(seed);
  if (kind === 'spaced') {
    // Distinct values 0.06 apart, none near 0 or +-3: no kink or tie within a finite-difference step.
    const values = Array.from({ length: n }, (_, i) => -0.06 * (n / 2) + 0.06 * i + 0.017);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [values[i], values[j]] = [values[j]!, values[i]!];
    }
    return Float32Array.from(values.map((v) => (Math.abs(Math.abs(v) - 3) < 0.03 ? v + 0.05 : v)));
  }
  if (kind === 'positive') return Float32Array.from({ length: n }, () => 0.5 + 1.5 * r());
  return Float32Array.from({ length: n }, () => 2 * r() - 1);
}

function attributes(values: Record<string, AttrValue>): Attribute[] {
  return Object.entries(values).map(([name, v]): Attribute => {
    if (typeof v === 'number') return Number.isInteger(v) ? { name, type: 2, i: v } : { name, type: 1, f: v };
    if (typeof v === 'string') return { name, type: 3, s: new TextEncoder().encode(v) };
    if (Array.isArray(v)) return { name, type: 7, ints: v };
    if ('float' in v) return { name, type: 1, f: v.float };
    return { name, type: 6, floats: v.floats };
  });
}

/** A model: x -> op -> (each output) -> Reshape [1, -1] -> Concat -> "scores". */
export function opModel(c: OpCase): Model {
  const initializers: Tensor[] = [];
  const inputs = (c.inputs ?? ['x']).map((spec, i) => {
    if (spec === 'x' || spec === '') return spec;
    const name = `c${i}`;
    if ('floats' in spec) initializers.push(floatTensor(name, spec.dims, spec.floats));
    else if ('bools' in spec) initializers.push({ name, dims: spec.dims, dataType: DataType.BOOL, raw: Uint8Array.from(spec.bools, Number) });
    else initializers.push(int64Tensor(name, spec.dims ?? [spec.ints.length], spec.ints));
    return name;
  });
  const outs = Array.from({ length: c.outputs ?? 1 }, (_, i) => `y${i}`);
  initializers.push(int64Tensor('flat', [2], [1, -1]));
  const nodes: Model['graph']['nodes'] = [{ name: 'op', opType: c.op, domain: '', inputs, outputs: outs, attributes: attributes(c.attrs ?? {}) }];
  outs.forEach((o) => nodes.push({ name: `flat_${o}`, opType: 'Reshape', domain: '', inputs: [o, 'flat'], outputs: [`${o}_flat`], attributes: [] }));
  nodes.push({ name: 'concat', opType: 'Concat', domain: '', inputs: outs.map((o) => `${o}_flat`), outputs: ['scores'], attributes: [{ name: 'axis', type: 2, i: 1 }] });
  return {
    irVersion: 8,
    opsets: [{ domain: '', version: c.opset ?? 17 }],
    producerName: 'lumen-tests',
    producerVersion: '',
    domain: '',
    modelVersion: 0,
    docString: '',
    metadata: [],
    functions: [],
    graph: {
      name: c.op,
      nodes,
      initializers,
      inputs: [{ name: 'x', elemType: DataType.FLOAT, shape: c.x }],
      outputs: [{ name: 'scores', elemType: DataType.FLOAT }],
      valueInfo: [],
    },
  };
}

/**
 * Compiles the case, then compares d(sum seed * scores)/dx with central finite differences of the
 * forward model, element by element.
 */
export async function expectGradientMatchesFiniteDifferences(c: OpCase, rules: RuleSet = gradientRuleSet, seedValue = 3): Promise<void> {
  const model = opModel(c);
  const compiled = await compileAttributionGraph({ model, input: { name: 'x', dims: c.x }, output: 'scores', objective: 'logit', rules });
  const session = await InferenceSession.create(encodeModel(compiled.model), { logSeverityLevel: 4 });
  const n = c.x.reduce((a, b) => a * b, 1);
  const r = rng(seedValue);
  const seed = Float32Array.from({ length: compiled.classCount }, () => 2 * r() - 1);
  const x = xValues(n, c.values ?? 'random', seedValue + 1);
  const run = async (input: Float32Array): Promise<Record<string, { data: unknown }>> =>
    session.run({ x: new OrtTensor('float32', input, c.x), lumen_seed: new OrtTensor('float32', seed, [1, compiled.classCount]) });
  const gradient = (await run(x)).lumen_input_gradient!.data as Float32Array;
  const h = c.h ?? 1e-2;
  const fd = await centralDifferences(x, h, async (input) => ((await run(input)).lumen_objective!.data as Float32Array)[0]!);
  await session.release();
  const scale = Math.max(1e-3, ...Array.from(fd, Math.abs));
  const worst = Array.from(fd).reduce(
    (w, v, i) => {
      const err = Math.abs(v - gradient[i]!);
      return err > w.err ? { err, i } : w;
    },
    { err: 0, i: -1 },
  );
  expect(worst.err, `element ${worst.i}: gradient ${gradient[worst.i]}, finite difference ${fd[worst.i]} (scale ${scale})`).toBeLessThanOrEqual(2e-3 + 2e-2 * scale);
}

/** Central finite differences of a scalar objective, one input element at a time. */
export async function centralDifferences<T extends Float32Array | Float64Array>(x: T, h: number, objective: (input: T) => Promise<number>): Promise<Float64Array> {
  const fd = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const plus = x.slice() as T;
    plus[i] = plus[i]! + h;
    const minus = x.slice() as T;
    minus[i] = minus[i]! - h;
    fd[i] = ((await objective(plus)) - (await objective(minus))) / (2 * h);
  }
  return fd;
}
