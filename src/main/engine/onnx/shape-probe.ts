import { encodeModel } from './encode';
import type { Model } from './ir';
import { InferenceSession, OrtTensor } from '../runtime/onnxruntime';
import { withIntraOpThreads } from '../runtime/intra-op-threads';

export interface ProbedTensor {
  dims: number[];
  type: string;
  /** Values of small integer tensors (shape arithmetic), which passes may treat as constants. */
  ints?: number[];
}

export type Probe = Map<string, ProbedTensor>;

const maxIntValues = 1024;

/**
 * Shapes (and small integer values) of every tensor in the graph, found by running the model once
 * with all intermediate tensors exposed as outputs. Running is the only reliable shape inference:
 * it is exactly what onnxruntime will do.
 */
export async function probeModel(model: Model, input: { name: string; dims: number[] }, seed = 1): Promise<Probe> {
  const exposed: Model = {
    ...model,
    graph: { ...model.graph, outputs: [...model.graph.outputs] },
  };
  const present = new Set(exposed.graph.outputs.map((o) => o.name));
  for (const node of model.graph.nodes) {
    for (const name of node.outputs) {
      if (name && !present.has(name)) {
        exposed.graph.outputs.push({ name });
        present.add(name);
      }
    }
  }
  // Optimisations off: the probe must see the graph as written, not as fused.
  const session = await InferenceSession.create(encodeModel(exposed), withIntraOpThreads({ graphOptimizationLevel: 'disabled', logSeverityLevel: 4 }));
  try {
    const data = seededUniform(input.dims.reduce((a, b) => a * b, 1), seed);
    const outputs = await session.run({ [input.name]: new OrtTensor('float32', data, input.dims) });
    const probe: Probe = new Map();
    probe.set(input.name, { dims: input.dims, type: 'float32' });
    for (const t of model.graph.initializers) probe.set(t.name, { dims: t.dims, type: `onnx:${t.dataType}` });
    for (const [name, tensor] of Object.entries(outputs)) {
      const entry: ProbedTensor = { dims: [...tensor.dims], type: tensor.type };
      if ((tensor.type === 'int64' || tensor.type === 'int32') && tensor.data.length <= maxIntValues) {
        entry.ints = Array.from(tensor.data as ArrayLike<number | bigint>, (v) => Number(v));
      }
      probe.set(name, entry);
    }
    return probe;
  } finally {
    await session.release();
  }
}

/** Deterministic values in [-1, 1] (a probe must not depend on Math.random). */
export function seededUniform(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = (s / 0xffffffff) * 2 - 1;
  }
  return out;
}
