import { Attributes, GraphIndex } from './graph-index';
import type { Model, Node, Tensor } from './ir';
import { int64Tensor, intValues } from './tensor-values';
import { encodeModel } from './encode';
import { seededUniform } from './shape-probe';
import { InferenceSession, OrtTensor } from '../runtime/onnxruntime';
import { withIntraOpThreads } from '../runtime/intra-op-threads';

export interface BatchReport {
  model: Model;
  /** True when the model runs any batch size and each row's output depends only on that row. */
  batchable: boolean;
  note?: string;
}

/** Operators that keep axis 0 as axis 0 (so a batch there stays the batch). */
const keepsAxis0 = new Set([
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Neg', 'Abs', 'Sqrt', 'Exp', 'Log', 'Erf', 'Relu', 'LeakyRelu', 'PRelu', 'Elu', 'Selu',
  'Sigmoid', 'Tanh', 'HardSigmoid', 'HardSwish', 'Clip', 'Gelu', 'Softplus', 'Conv', 'ConvTranspose', 'MaxPool', 'AveragePool',
  'GlobalAveragePool', 'GlobalMaxPool', 'BatchNormalization', 'LayerNormalization', 'InstanceNormalization', 'Softmax',
  'LogSoftmax', 'Identity', 'Cast', 'Where', 'Resize', 'Pad', 'Dropout', 'Sum', 'Max', 'Min', 'Mean', 'Flatten', 'MatMul', 'Gemm',
]);

/**
 * Makes a model exported with batch size 1 baked in accept any batch: the input's first dimension
 * becomes symbolic and shape constants that repeat the baked 1 (Reshape targets, Expand shapes of
 * class tokens) follow the real batch. The result is checked by running two rows together and
 * apart; a model that fails the check keeps batch 1 and is run one row at a time.
 */
export async function makeBatchDynamic(model: Model, inputName: string, inputDims: number[]): Promise<BatchReport> {
  const input = model.graph.inputs.find((i) => i.name === inputName);
  const baked = typeof input?.shape?.[0] === 'number';
  const candidate = baked ? rewrite(model, inputName) : model;
  const check = await rowsIndependent(candidate, inputName, inputDims);
  if (check === null) return { model: candidate, batchable: true, ...(baked ? { note: 'batch axis made dynamic' } : {}) };
  return { model, batchable: false, note: `runs one image at a time: ${check}` };
}

function rewrite(model: Model, inputName: string): Model {
  const index = new GraphIndex(model.graph);
  const flagged = new Set<string>([inputName]);
  const extra: Tensor[] = [];
  const extraNodes: Node[] = [];
  let counter = 0;
  let batchSize: string | undefined;
  const batchDim = (): string => {
    if (batchSize) return batchSize;
    const shape = `lumen_batch_shape`;
    batchSize = 'lumen_batch_size';
    extra.push(int64Tensor('lumen_batch_start', [1], [0]), int64Tensor('lumen_batch_end', [1], [1]));
    extraNodes.push({ name: 'lumen_batch_shape', opType: 'Shape', domain: '', inputs: [inputName], outputs: [shape], attributes: [] });
    extraNodes.push({ name: 'lumen_batch_size', opType: 'Slice', domain: '', inputs: [shape, 'lumen_batch_start', 'lumen_batch_end'], outputs: [batchSize], attributes: [] });
    return batchSize;
  };

  const nodes: Node[] = [];
  for (const node of index.topologicalOrder()) {
    const data = node.inputs[0] ?? '';
    // The shape operand: Reshape/Expand's second input, ConstantOfShape's first.
    const shapeInput = node.opType === 'ConstantOfShape' ? node.inputs[0] : node.opType === 'Reshape' || node.opType === 'Expand' ? node.inputs[1] : undefined;
    const shapeConst = shapeInput ? index.constant(shapeInput) : undefined;
    const shapeValues = shapeConst ? intValues(shapeConst) : undefined;
    let out = node;
    if (node.opType === 'Reshape' && flagged.has(data) && shapeValues && shapeValues[0] === 1) {
      const name = `lumen_reshape_${counter++}`;
      extra.push(int64Tensor(name, [shapeValues.length], [0, ...shapeValues.slice(1)]));
      out = { ...node, inputs: [data, name] };
      flagged.add(node.outputs[0]!);
    } else if ((node.opType === 'Expand' || node.opType === 'ConstantOfShape') && shapeValues && shapeValues[0] === 1 && !flagged.has(data)) {
      const rest = `lumen_shape_rest_${counter}`;
      const full = `lumen_shape_${counter++}`;
      extra.push(int64Tensor(rest, [shapeValues.length - 1], shapeValues.slice(1)));
      extraNodes.push({ name: full, opType: 'Concat', domain: '', inputs: [batchDim(), rest], outputs: [full], attributes: [{ name: 'axis', type: 2, i: 0 }] });
      out = node.opType === 'Expand' ? { ...node, inputs: [data, full] } : { ...node, inputs: [full] };
      flagged.add(node.outputs[0]!);
    } else if (node.inputs.some((i) => flagged.has(i)) && preservesBatch(node)) {
      for (const o of node.outputs) flagged.add(o);
    }
    nodes.push(out);
  }
  const symbolic = (shape: Array<number | string | null> | undefined): Array<number | string | null> | undefined =>
    shape && shape.length > 0 && shape[0] === 1 ? ['batch', ...shape.slice(1)] : shape;
  return {
    ...model,
    graph: {
      ...model.graph,
      nodes: [...extraNodes, ...nodes],
      initializers: [...model.graph.initializers, ...extra],
      inputs: model.graph.inputs.map((i) => (i.name === inputName ? { ...i, shape: symbolic(i.shape) } : i)),
      outputs: model.graph.outputs.map((o) => ({ ...o, shape: symbolic(o.shape) })),
      // Intermediate shape annotations would still say 1.
      valueInfo: [],
    },
  };
}

function preservesBatch(node: Node): boolean {
  const a = new Attributes(node);
  switch (node.opType) {
    case 'Transpose':
      return (a.ints('perm') ?? [1])[0] === 0;
    case 'Concat':
    case 'Split':
    case 'Gather':
    case 'Softmax':
      return a.int('axis', node.opType === 'Softmax' ? -1 : 0) !== 0;
    case 'Squeeze':
    case 'Unsqueeze':
    case 'Slice':
    case 'ReduceMean':
    case 'ReduceSum':
    case 'ReduceMax':
      return true;
    default:
      return keepsAxis0.has(node.opType);
  }
}

/** Null when rows are independent at batch 2, else why not. */
async function rowsIndependent(model: Model, inputName: string, dims: number[]): Promise<string | null> {
  let session: Awaited<ReturnType<typeof InferenceSession.create>>;
  try {
    session = await InferenceSession.create(encodeModel(model), withIntraOpThreads({ logSeverityLevel: 4 }));
  } catch (error) {
    return `the rewritten model does not load (${(error as Error).message.split('\n')[0]})`;
  }
  try {
    const per = dims.slice(1).reduce((a, b) => a * b, 1);
    const rows = [seededUniform(per, 7), seededUniform(per, 11)];
    const both = new Float32Array(per * 2);
    both.set(rows[0]!, 0);
    both.set(rows[1]!, per);
    const together = await session.run({ [inputName]: new OrtTensor('float32', both, [2, ...dims.slice(1)]) });
    for (let r = 0; r < 2; r++) {
      const alone = await session.run({ [inputName]: new OrtTensor('float32', rows[r]!, [1, ...dims.slice(1)]) });
      for (const name of session.outputNames) {
        const a = alone[name]!.data as Float32Array;
        const t = together[name]!.data as Float32Array;
        if (t.length !== a.length * 2 || together[name]!.dims[0] !== 2 || alone[name]!.dims[0] !== 1) {
          return `output "${name}" does not have the batch as its first axis`;
        }
        let scale = 1e-6;
        for (const v of a) scale = Math.max(scale, Math.abs(v));
        for (let i = 0; i < a.length; i++) {
          if (Math.abs(a[i]! - t[r * a.length + i]!) > 1e-4 * scale) return `output "${name}" of row ${r} changes when batched`;
        }
      }
    }
    return null;
  } catch (error) {
    return `batch 2 fails (${(error as Error).message.split('\n')[0]})`;
  } finally {
    await session.release();
  }
}
