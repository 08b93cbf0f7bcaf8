import { compileAttributionGraph, type CompiledGraph } from '../../src/main/engine/autodiff/compile';
import type { Objective } from '../../src/main/engine/autodiff/objective';
import { gradientRuleSet, type RuleSet } from '../../src/main/engine/autodiff/rule-set';
import { encodeModel } from '../../src/main/engine/onnx/encode';
import { DataType, type Graph, type Model, type Node, type Tensor } from '../../src/main/engine/onnx/ir';
import { floatTensor } from '../../src/main/engine/onnx/tensor-values';
import { InferenceSession, OrtTensor } from '../../src/main/engine/runtime/onnxruntime';

export interface CompiledRun {
  compiled: CompiledGraph;
  run(x: Float32Array, seed: Float32Array, reference?: Float32Array, batch?: number): Promise<{ gradient: Float32Array; objective: Float32Array; outputs: Record<string, { data: unknown; dims: readonly number[] }> }>;
}

/** Compiles `model` with `rules` and returns a function that runs the compiled graph. */
export async function compiledRunner(
  model: Model,
  dims: number[],
  options: { rules?: RuleSet; objective?: Objective; output?: string; taps?: string[]; inputName?: string } = {},
): Promise<CompiledRun> {
  const inputName = options.inputName ?? 'x';
  const compiled = await compileAttributionGraph({
    model,
    input: { name: inputName, dims },
    output: options.output ?? 'scores',
    objective: options.objective ?? 'logit',
    rules: options.rules ?? gradientRuleSet,
    ...(options.taps ? { taps: options.taps } : {}),
  });
  const session = await InferenceSession.create(encodeModel(compiled.model), { logSeverityLevel: 4 });
  return {
    compiled,
    async run(x, seed, reference, batch = 1) {
      const feeds: Record<string, InstanceType<typeof OrtTensor>> = {
        [inputName]: new OrtTensor('float32', x, [batch, ...dims.slice(1)]),
        lumen_seed: new OrtTensor('float32', seed, [batch, compiled.classCount]),
      };
      if (compiled.io.reference) feeds[compiled.io.reference] = new OrtTensor('float32', reference ?? new Float32Array(x.length), [batch, ...dims.slice(1)]);
      const outputs = await session.run(feeds);
      return {
        gradient: (outputs.lumen_input_gradient?.data ?? new Float32Array()) as Float32Array,
        objective: outputs.lumen_objective!.data as Float32Array,
        outputs: outputs as unknown as Record<string, { data: unknown; dims: readonly number[] }>,
      };
    },
  };
}

/** A small model from a list of nodes over input `x` [batch, ...] and output `scores`. */
export function graphModel(nodes: Array<Omit<Node, 'name' | 'domain' | 'attributes'> & { attributes?: Node['attributes'] }>, initializers: Tensor[], inputShape: Array<number | string>): Model {
  return modelOf({
    name: 'g',
    nodes: nodes.map((n, i) => ({ name: `n${i}`, domain: '', attributes: [], ...n })),
    initializers,
    inputs: [{ name: 'x', elemType: DataType.FLOAT, shape: inputShape }],
    outputs: [{ name: 'scores', elemType: DataType.FLOAT }],
    valueInfo: [],
  });
}

/** A test model (IR 8, opset 17) around a graph. */
export function modelOf(graph: Graph): Model {
  return { irVersion: 8, opsets: [{ domain: '', version: 17 }], producerName: 'lumen-tests', producerVersion: '', domain: '', modelVersion: 0, docString: '', metadata: [], functions: [], graph };
}

export { floatTensor };
