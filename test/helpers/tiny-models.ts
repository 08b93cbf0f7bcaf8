import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeModel } from '../../src/main/engine/onnx/encode';
import { DataType, type Dim, type Model, type Node, type Tensor } from '../../src/main/engine/onnx/ir';

/** A float32 initializer from numbers. */
export function floatTensor(name: string, dims: number[], values: number[]): Tensor {
  const raw = new Uint8Array(new Float32Array(values).buffer);
  return { name, dims, dataType: DataType.FLOAT, raw };
}

export function int64Tensor(name: string, dims: number[], values: number[]): Tensor {
  const raw = new Uint8Array(new BigInt64Array(values.map((v) => BigInt(v))).buffer);
  return { name, dims, dataType: DataType.INT64, raw };
}

export function node(opType: string, inputs: string[], outputs: string[], attributes: Node['attributes'] = []): Node {
  return { name: `${opType}_${outputs[0]}`, opType, domain: '', inputs, outputs, attributes };
}

export interface TinyClassifierOptions {
  /** Input shape, e.g. [1, 3, 8, 8] or ['N', 8, 8, 3]. */
  inputShape: Dim[];
  layout?: 'NCHW' | 'NHWC';
  classes?: number;
  softmax?: boolean;
  inputType?: number;
  metadata?: Array<[string, string]>;
  /** Extra graph outputs, e.g. a feature map, to test output selection. */
  extraOutputs?: Array<{ name: string; shape: Dim[] }>;
  extraInputs?: Array<{ name: string; shape: Dim[] }>;
}

/**
 * A real, runnable classifier: global average pool over space, then a linear layer (weights
 * w[k][c] = (k + 1) * (c + 1) / 10), optionally Softmax. Small enough to check by hand.
 */
export function tinyClassifier(options: TinyClassifierOptions): Model {
  const classes = options.classes ?? 4;
  const layout = options.layout ?? 'NCHW';
  const channelDim = layout === 'NCHW' ? options.inputShape[1] : options.inputShape[3];
  const channels = typeof channelDim === 'number' ? channelDim : 3;
  const nodes: Node[] = [];
  let x = 'image';
  if (layout === 'NHWC') {
    nodes.push(node('Transpose', [x], ['nchw'], [{ name: 'perm', type: 7, ints: [0, 3, 1, 2] }]));
    x = 'nchw';
  }
  nodes.push(node('GlobalAveragePool', [x], ['pooled']));
  nodes.push(node('Flatten', ['pooled'], ['flat']));
  const weights: number[] = [];
  for (let c = 0; c < channels; c++) for (let k = 0; k < classes; k++) weights.push(((k + 1) * (c + 1)) / 10);
  nodes.push(node('MatMul', ['flat', 'W'], [options.softmax ? 'logits' : 'scores']));
  if (options.softmax) nodes.push(node('Softmax', ['logits'], ['scores'], [{ name: 'axis', type: 2, i: 1 }]));
  for (const extra of options.extraOutputs ?? []) nodes.push(node('Identity', [x], [extra.name]));
  return {
    irVersion: 8,
    opsets: [{ domain: '', version: 17 }],
    producerName: 'lumen-tests',
    producerVersion: '',
    domain: '',
    modelVersion: 0,
    docString: '',
    metadata: options.metadata ?? [],
    functions: [],
    graph: {
      name: 'tiny',
      nodes,
      initializers: [floatTensor('W', [channels, classes], weights)],
      inputs: [
        { name: 'image', elemType: options.inputType ?? DataType.FLOAT, shape: options.inputShape },
        ...(options.extraInputs ?? []).map((e) => ({ name: e.name, elemType: DataType.FLOAT, shape: e.shape })),
      ],
      outputs: [
        { name: 'scores', elemType: DataType.FLOAT, shape: [options.inputShape[0] ?? 'N', classes] },
        ...(options.extraOutputs ?? []).map((e) => ({ name: e.name, elemType: DataType.FLOAT, shape: e.shape })),
      ],
      valueInfo: [],
    },
  };
}

/** A fresh temporary folder for one test file. */
export function tempDir(prefix = 'lumen-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes a model (and optional sidecar files) into `dir`; returns the model's path. */
export function writeModel(dir: string, name: string, model: Model, sidecars: Record<string, string> = {}): string {
  const path = join(dir, name);
  writeFileSync(path, encodeModel(model));
  for (const [file, text] of Object.entries(sidecars)) writeFileSync(join(dir, file), text);
  return path;
}
