import { expect } from 'vitest';
import { compileAttributionGraph } from '../../src/main/engine/autodiff/compile';
import { gradientRuleSet } from '../../src/main/engine/autodiff/rule-set';
import { encodeModel } from '../../src/main/engine/onnx/encode';
import { DataType, type Attribute, type Model, type Tensor, type ValueInfo } from '../../src/main/engine/onnx/ir';
import { floatValues } from '../../src/main/engine/onnx/tensor-values';
import { InferenceSession, OrtTensor } from '../../src/main/engine/runtime/onnxruntime';
import { centralDifferences, expectGradientMatchesFiniteDifferences, opModel, rng, type OpCase } from './gradient-check';

/**
 * A case of the operator table. Float64 by default: the compiled graph is promoted to double, so
 * the finite differences can use a small step and the comparison a tight tolerance. Operators
 * onnxruntime only implements in float32 say so with `float32` (the reason is the kernel list).
 */
export interface GradientCase extends OpCase {
  float32?: true;
  /** Outputs the node has beyond `outputs` that nothing reads (TopK's and MaxPool's indices). */
  unread?: number;
}

export async function expectGradient(c: GradientCase): Promise<void> {
  if (c.float32 && c.unread) throw new Error('unread outputs are only checked in float64');
  if (c.float32) return expectGradientMatchesFiniteDifferences(c);
  return expectGradientMatchesFiniteDifferences64(c);
}

/** opModel with the node's unread outputs added (named, consumed by nothing). */
function caseModel(c: GradientCase): Model {
  const model = opModel(c);
  if (!c.unread) return model;
  const [op, ...rest] = model.graph.nodes;
  const unread = Array.from({ length: c.unread }, (_, i) => `unread_${i}`);
  return { ...model, graph: { ...model.graph, nodes: [{ ...op!, outputs: [...op!.outputs, ...unread] }, ...rest] } };
}

function toDouble(t: Tensor): Tensor {
  if (t.dataType !== DataType.FLOAT) return t;
  const data = Float64Array.from(floatValues(t));
  return { name: t.name, dims: t.dims, dataType: DataType.DOUBLE, raw: new Uint8Array(data.buffer) };
}

function promoteValue(v: ValueInfo): ValueInfo {
  return v.elemType === DataType.FLOAT ? { ...v, elemType: DataType.DOUBLE } : v;
}

function promoteAttribute(a: Attribute, opType: string): Attribute {
  if (opType === 'Cast' && a.name === 'to' && a.i === DataType.FLOAT) return { ...a, i: DataType.DOUBLE };
  if (a.t) return { ...a, t: toDouble(a.t) };
  return a;
}

/** The same graph computing in double: float constants, inputs, outputs and casts become float64. */
export function promoteToFloat64(model: Model): Model {
  const g = model.graph;
  return {
    ...model,
    graph: {
      ...g,
      nodes: g.nodes.map((n) => ({ ...n, attributes: n.attributes.map((a) => promoteAttribute(a, n.opType)) })),
      initializers: g.initializers.map(toDouble),
      inputs: g.inputs.map(promoteValue),
      outputs: g.outputs.map(promoteValue),
      valueInfo: [],
    },
  };
}

function xValues(n: number, kind: OpCase['values'], seed: number): Float64Array {
  const r = rng(seed);
  if (kind === 'spaced') {
    // Distinct values 0.06 apart, away from 0 and +-3 (the kinks of the piecewise activations).
    const values = Array.from({ length: n }, (_, i) => -0.06 * (n / 2) + 0.06 * i + 0.017);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [values[i], values[j]] = [values[j]!, values[i]!];
    }
    return Float64Array.from(values.map((v) => (Math.abs(Math.abs(v) - 3) < 0.03 ? v + 0.05 : v)));
  }
  if (kind === 'positive') return Float64Array.from({ length: n }, () => 0.5 + 1.5 * r());
  return Float64Array.from({ length: n }, () => 2 * r() - 1);
}

/**
 * As expectGradientMatchesFiniteDifferences, in float64: step 1e-5, and the backward must agree
 * with the central differences to about 1e-7 of the gradient's scale.
 */
export async function expectGradientMatchesFiniteDifferences64(c: GradientCase, seedValue = 3): Promise<void> {
  const compiled = await compileAttributionGraph({ model: caseModel(c), input: { name: 'x', dims: c.x }, output: 'scores', objective: 'logit', rules: gradientRuleSet });
  const session = await InferenceSession.create(encodeModel(promoteToFloat64(compiled.model)), { logSeverityLevel: 4 });
  const n = c.x.reduce((a, b) => a * b, 1);
  const r = rng(seedValue);
  const seed = Float64Array.from({ length: compiled.classCount }, () => 2 * r() - 1);
  const x = xValues(n, c.values ?? 'random', seedValue + 1);
  const run = async (input: Float64Array): Promise<Record<string, { data: unknown }>> =>
    session.run({ x: new OrtTensor('float64', input, c.x), lumen_seed: new OrtTensor('float64', seed, [1, compiled.classCount]) });
  const gradient = (await run(x)).lumen_input_gradient!.data as Float64Array;
  const h = c.h ?? 1e-5;
  const fd = await centralDifferences(x, h, async (input) => ((await run(input)).lumen_objective!.data as Float64Array)[0]!);
  await session.release();
  const scale = Math.max(1e-3, ...Array.from(fd, Math.abs));
  let worst = { err: 0, i: -1 };
  fd.forEach((v, i) => {
    const err = Math.abs(v - gradient[i]!);
    if (err > worst.err) worst = { err, i };
  });
  expect(worst.err, `element ${worst.i}: gradient ${gradient[worst.i]}, finite difference ${fd[worst.i]} (scale ${scale})`).toBeLessThanOrEqual(1e-7 * (1 + scale));
}
