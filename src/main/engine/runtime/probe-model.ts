import { encodeModel } from '../onnx/encode';
import { DataType, type Model } from '../onnx/ir';

let cached: Uint8Array | undefined;

/** A one-node model (y = x) used to ask an execution provider whether it can run at all. */
export function probeModel(): Uint8Array {
  if (cached) return cached;
  const model: Model = {
    irVersion: 8,
    opsets: [{ domain: '', version: 17 }],
    producerName: 'lumen-probe',
    producerVersion: '',
    domain: '',
    modelVersion: 0,
    docString: '',
    metadata: [],
    functions: [],
    graph: {
      name: 'probe',
      nodes: [{ name: 'relu', opType: 'Relu', domain: '', inputs: ['x'], outputs: ['y'], attributes: [] }],
      initializers: [],
      inputs: [{ name: 'x', elemType: DataType.FLOAT, shape: [1, 4] }],
      outputs: [{ name: 'y', elemType: DataType.FLOAT, shape: [1, 4] }],
      valueInfo: [],
    },
  };
  cached = encodeModel(model);
  return cached;
}
