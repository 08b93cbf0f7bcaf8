import { encodeModel } from '../onnx/encode';
import { DataType, type Model } from '../onnx/ir';
import { InferenceSession, OrtTensor, type Session } from './onnxruntime';
import { withIntraOpThreads } from './intra-op-threads';

const sessions = new Map<string, Promise<Session>>();

/** y[s] = A_h[s] x A_w[s]^T for a [C, H, W] image and S pairs of matrices, as one onnxruntime run. */
function filterModel(): Model {
  return {
    irVersion: 8,
    opsets: [{ domain: '', version: 17 }],
    producerName: 'lumen-separable-filter',
    producerVersion: '',
    domain: '',
    modelVersion: 0,
    docString: '',
    metadata: [],
    functions: [],
    graph: {
      name: 'separable_filter',
      nodes: [
        { name: 'rows', opType: 'MatMul', domain: '', inputs: ['ah', 'x'], outputs: ['hx'], attributes: [] },
        { name: 'cols', opType: 'MatMul', domain: '', inputs: ['hx', 'awt'], outputs: ['y'], attributes: [] },
      ],
      initializers: [],
      inputs: [
        { name: 'x', elemType: DataType.FLOAT, shape: [1, 'C', 'H', 'W'] },
        { name: 'ah', elemType: DataType.FLOAT, shape: ['S', 1, 'H', 'H'] },
        { name: 'awt', elemType: DataType.FLOAT, shape: ['S', 1, 'W', 'W'] },
      ],
      outputs: [{ name: 'y', elemType: DataType.FLOAT, shape: ['S', 'C', 'H', 'W'] }],
      valueInfo: [],
    },
  };
}

/**
 * Applies S separable linear filters to one channels-first image: filters[s] = {rows: H x H,
 * cols: W x W} (row-major, output index first). Returns S images [C, H, W].
 */
export async function separableFilters(image: Float32Array, channels: number, height: number, width: number, filters: Array<{ rows: Float32Array; cols: Float32Array }>): Promise<Float32Array[]> {
  let session = sessions.get('filter');
  if (!session) {
    session = InferenceSession.create(encodeModel(filterModel()), withIntraOpThreads({ logSeverityLevel: 4 }));
    sessions.set('filter', session);
  }
  const s = filters.length;
  const ah = new Float32Array(s * height * height);
  const awt = new Float32Array(s * width * width);
  filters.forEach((f, k) => {
    ah.set(f.rows, k * height * height);
    // The second product needs A_w^T.
    for (let i = 0; i < width; i++) for (let j = 0; j < width; j++) awt[k * width * width + j * width + i] = f.cols[i * width + j]!;
  });
  const out = await (await session).run({
    x: new OrtTensor('float32', image, [1, channels, height, width]),
    ah: new OrtTensor('float32', ah, [s, 1, height, height]),
    awt: new OrtTensor('float32', awt, [s, 1, width, width]),
  });
  const y = out.y!.data as Float32Array;
  const size = channels * height * width;
  return filters.map((_, k) => y.slice(k * size, (k + 1) * size));
}
