import type { LumenApi } from '../../src/shared/contract/api';
import { floatTensor, graphModel } from './compiled-runner';
import { tempDir, writeModel } from './tiny-models';
import type { Model } from '../../src/main/engine/onnx/ir';

/** Renames the test graphs' input `x` to an image model with input `image`. */
function asImageModel(model: Model, shape: Array<number | string>): Model {
  const rename = (n: string): string => (n === 'x' ? 'image' : n);
  return {
    ...model,
    graph: {
      ...model.graph,
      nodes: model.graph.nodes.map((node) => ({ ...node, inputs: node.inputs.map(rename) })),
      inputs: [{ name: 'image', elemType: 1, shape }],
    },
  };
}

/** y = W flatten(x) + b: a model whose exact attributions are known in closed form. */
export function linearImageModel(weights: number[], bias: number[], dims: [number, number, number]): Model {
  const size = dims[0] * dims[1] * dims[2];
  const classes = bias.length;
  return asImageModel(
    graphModel(
      [
        { opType: 'Flatten', inputs: ['x'], outputs: ['f'] },
        { opType: 'MatMul', inputs: ['f', 'W'], outputs: ['z'] },
        { opType: 'Add', inputs: ['z', 'b'], outputs: ['scores'] },
      ],
      [floatTensor('W', [size, classes], weights), floatTensor('b', [classes], bias)],
      ['N', ...dims],
    ),
    ['N', ...dims],
  );
}

/** y = 1 - relu(1 - x1 - x2) on a 1 x 2 grayscale "image": gradients vanish at (1, 1). */
export function saturatingImageModel(): Model {
  return asImageModel(
    graphModel(
      [
        { opType: 'Flatten', inputs: ['x'], outputs: ['f'] },
        { opType: 'MatMul', inputs: ['f', 'minusOnes'], outputs: ['s'] },
        { opType: 'Add', inputs: ['s', 'one'], outputs: ['t'] },
        { opType: 'Relu', inputs: ['t'], outputs: ['u'] },
        { opType: 'Sub', inputs: ['one', 'u'], outputs: ['scores'] },
      ],
      [floatTensor('minusOnes', [2, 1], [-1, -1]), floatTensor('one', [1], [1])],
      ['N', 1, 1, 2],
    ),
    ['N', 1, 1, 2],
  );
}

/** A smooth two-layer network (tanh) on a 1 x 4 x 4 grayscale image, 3 classes. */
export function smoothImageModel(w1: number[], w2: number[]): Model {
  return asImageModel(
    graphModel(
      [
        { opType: 'Flatten', inputs: ['x'], outputs: ['f'] },
        { opType: 'MatMul', inputs: ['f', 'W1'], outputs: ['h0'] },
        { opType: 'Tanh', inputs: ['h0'], outputs: ['h'] },
        { opType: 'MatMul', inputs: ['h', 'W2'], outputs: ['scores'] },
      ],
      [floatTensor('W1', [16, 6], w1), floatTensor('W2', [6, 3], w2)],
      ['N', 1, 4, 4],
    ),
    ['N', 1, 4, 4],
  );
}

/** Writes the model with a card that feeds tensors as they are (mean 0, std 1, no resize). */
export async function openTestModel(api: LumenApi, model: Model, name: string): Promise<string> {
  const dir = tempDir();
  const path = writeModel(dir, `${name}.onnx`, model, {
    [`${name}.card.json`]: JSON.stringify({ preprocess: { resize: { mode: 'stretch' }, mean: [0], std: [1], scale: 1 } }),
  });
  return (await api.call('models.open', { path })).id;
}
