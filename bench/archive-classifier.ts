/**
 * A small convolutional classifier for the hospital-scale benchmark's 32 x 32 archive images, so
 * that 16 processes can audit every one of 100,000 images on a two-core machine: Conv 3->16 (3 x 3)
 * + ReLU, Conv 16->32 (3 x 3, stride 2) + ReLU, global average pool, linear layer to ten classes
 * (one per label folder). Its weights are seeded, not trained: the benchmark measures the audit
 * pipeline (decode, attribution, result rows, maps, shards, merge), not accuracy. The bundled
 * MobileNetV2 at 224 x 224 costs about a hundred times more per image.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeModel } from '../src/main/engine/onnx/encode';
import { AttributeType, DataType, type Node, type Tensor } from '../src/main/engine/onnx/ir';
import { Rng } from '../src/main/engine/random/rng';

const side = 32;
const classes = 10;

function weights(name: string, dims: number[], fanIn: number, rng: Rng): Tensor {
  const n = dims.reduce((a, b) => a * b, 1);
  const scale = Math.sqrt(2 / fanIn); // He initialisation keeps the ReLU activations from vanishing
  return { name, dims, dataType: DataType.FLOAT, floatData: Array.from({ length: n }, () => rng.normal() * scale) };
}

function conv(input: string, output: string, weight: string, stride: number): Node {
  const ints = (name: string, values: number[]) => ({ name, type: AttributeType.INTS, ints: values });
  return { name: output, opType: 'Conv', domain: '', inputs: [input, weight], outputs: [output], attributes: [ints('kernel_shape', [3, 3]), ints('pads', [1, 1, 1, 1]), ints('strides', [stride, stride])] };
}

function op(opType: string, inputs: string[], output: string): Node {
  return { name: output, opType, domain: '', inputs, outputs: [output], attributes: [] };
}

/** Writes `archive-classifier.onnx` and its card (labels class-0 ... class-9) into `dir`; the model's path. */
export function writeArchiveClassifier(dir: string, seed = 20): string {
  const rng = new Rng(seed);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'archive-classifier.onnx');
  const nodes = [conv('image', 'c1', 'w1', 1), op('Relu', ['c1'], 'r1'), conv('r1', 'c2', 'w2', 2), op('Relu', ['c2'], 'r2'), op('GlobalAveragePool', ['r2'], 'pooled'), op('Flatten', ['pooled'], 'flat'), op('Gemm', ['flat', 'w3', 'b3'], 'logits')];
  const initializers = [weights('w1', [16, 3, 3, 3], 27, rng), weights('w2', [32, 16, 3, 3], 144, rng), weights('w3', [32, classes], 32, rng), { name: 'b3', dims: [classes], dataType: DataType.FLOAT, floatData: new Array<number>(classes).fill(0) }];
  writeFileSync(
    path,
    encodeModel({
      irVersion: 8,
      opsets: [{ domain: '', version: 17 }],
      producerName: 'lumen-bench',
      producerVersion: '',
      domain: '',
      modelVersion: 1,
      docString: 'Seeded, untrained: for timing the audit pipeline only.',
      metadata: [],
      functions: [],
      graph: {
        name: 'archive-classifier',
        nodes,
        initializers,
        inputs: [{ name: 'image', elemType: DataType.FLOAT, shape: ['N', 3, side, side] }],
        outputs: [{ name: 'logits', elemType: DataType.FLOAT, shape: ['N', classes] }],
        valueInfo: [],
      },
    }),
  );
  const card = {
    name: 'Archive classifier (seeded, untrained; benchmark only)',
    input: { name: 'image', layout: 'NCHW', height: side, width: side, color: 'RGB' },
    preprocess: { resize: { mode: 'stretch' }, scale: 1, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
    output: { name: 'logits', kind: 'logits', labels: Array.from({ length: classes }, (_, k) => `class-${k}`) },
  };
  writeFileSync(join(dir, 'archive-classifier.card.json'), JSON.stringify(card, null, 2));
  return path;
}
