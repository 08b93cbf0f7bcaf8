import { encodeModel } from '../../onnx/encode';
import { DataType, type Model } from '../../onnx/ir';
import { floatTensor, int64Tensor } from '../../onnx/tensor-values';
import { InferenceSession, OrtTensor } from '../../runtime/onnxruntime';
import { contractAxis } from './axis-map';
import { documented, type DocumentedRule, type OpRule, type PrepareContext, type RuleFamily } from '../rule';
import { withIntraOpThreads } from '../../runtime/intra-op-threads';

/** Resize along one axis is a linear map A (out x in); the 2-D resize is A_h X A_w^T. */
interface AxisMap {
  axis: number;
  /** Row-major [out, in]. */
  matrix: Float32Array;
  out: number;
  in: number;
}

/**
 * Nearest, linear and cubic resizing (with or without antialiasing) are linear and separable, so
 * their backward is multiplication by the transposed interpolation matrices. Rather than re-derive
 * every coordinate mode, each matrix is measured by running the very Resize node on one-hot inputs
 * in onnxruntime: the backward is then exactly the adjoint of what the forward computes.
 */
async function measure(ctx: PrepareContext): Promise<AxisMap[]> {
  const { node } = ctx;
  const x = ctx.shape(node.inputs[0]!);
  const y = ctx.shape(node.outputs[0]!);
  if (node.attributes.some((a) => a.name === 'axes')) ctx.unsupported('Resize with an axes attribute');
  const mode = node.attributes.find((a) => a.name === 'coordinate_transformation_mode')?.s;
  if (mode && new TextDecoder().decode(mode) === 'tf_crop_and_resize') ctx.unsupported('tf_crop_and_resize');
  const scales = node.inputs[2] ? ctx.knownFloats(node.inputs[2]) : undefined;
  const sizes = node.inputs[3] ? ctx.knownInts(node.inputs[3]) : undefined;
  if (node.inputs[2] && !scales && !(sizes && sizes.length > 0)) ctx.unsupported('Resize scales computed at run time');
  const maps: AxisMap[] = [];
  for (let axis = 0; axis < x.length; axis++) {
    if (x[axis] === y[axis] && (!scales || scales.length === 0 || scales[axis] === 1)) continue;
    if (axis < 2) ctx.unsupported('resizing the batch or channel axis');
    const n = x[axis]!;
    // A batch of n one-hot signals along `axis`; all other axes have size 1.
    const shape = x.map((_, a) => (a === 0 ? n : a === axis ? n : 1));
    const inputs = ['x', '', '', ''];
    const initializers = [];
    if (scales && scales.length > 0) {
      initializers.push(floatTensor('scales', [x.length], x.map((_, a) => (a === axis ? scales[a]! : 1))));
      inputs[2] = 'scales';
    } else {
      initializers.push(int64Tensor('sizes', [x.length], shape.map((d, a) => (a === axis ? y[axis]! : d))));
      inputs[3] = 'sizes';
    }
    const model: Model = {
      irVersion: 8,
      // The model's own opset: Resize's semantics changed at 11, 13, 18 and 19.
      opsets: [{ domain: '', version: ctx.opset }],
      producerName: 'lumen-resize-probe',
      producerVersion: '',
      domain: '',
      modelVersion: 0,
      docString: '',
      metadata: [],
      functions: [],
      graph: {
        name: 'resize',
        nodes: [{ ...node, name: 'resize', inputs: inputs.slice(0, inputs[3] ? 4 : 3), outputs: ['y'] }],
        initializers,
        inputs: [{ name: 'x', elemType: DataType.FLOAT, shape }],
        outputs: [{ name: 'y', elemType: DataType.FLOAT }],
        valueInfo: [],
      },
    };
    const session = await InferenceSession.create(encodeModel(model), withIntraOpThreads({ logSeverityLevel: 4 }));
    const eye = new Float32Array(n * n);
    for (let i = 0; i < n; i++) eye[i * n + i] = 1;
    const out = (await session.run({ x: new OrtTensor('float32', eye, shape) })).y!;
    await session.release();
    const m = y[axis]!;
    if (out.dims[axis] !== m) ctx.unsupported(`the measured resize gives ${out.dims[axis]} samples, the model ${m}`);
    // out[b, ..., o, ...] = A[o, b]
    const data = out.data as Float32Array;
    const matrix = new Float32Array(m * n);
    for (let b = 0; b < n; b++) for (let o = 0; o < m; o++) matrix[o * n + b] = data[b * m + o]!;
    maps.push({ axis, matrix, out: m, in: n });
  }
  return maps;
}

const resize: OpRule = {
  differentiable: [0],
  prepare: measure,
  backward(ctx, [g]) {
    const e = ctx.emit;
    const rank = ctx.shape(ctx.input(0)).length;
    let grad = g!;
    for (const map of ctx.prepared<AxisMap[]>()) grad = contractAxis(e, grad, rank, map.axis, map.matrix, map.out, map.in);
    return [grad];
  },
};

const resizeRule: DocumentedRule = documented(resize, {
  forms: 'scales or sizes (constant or known when compiling); nearest, linear, cubic; every coordinate mode except tf_crop_and_resize; antialias (opset 18)',
  note: "the backward is the transpose of Resize's linear map, measured once by running the node itself in onnxruntime",
});

export const resizeRules: RuleFamily = {
  title: 'Resampling',
  summary: 'Resizing the spatial axes (not the batch or channel axis).',
  rules: { Resize: resizeRule },
};
