import { LumenError } from '../../../shared/errors';
import { DataType, type Model, type Node } from '../onnx/ir';
import { defaultOpset } from '../onnx/opset-upgrade';
import type { CompiledInterface } from './compile';
import { Emitter } from './emitter';
import { referenceInput } from './reference-pass';

export type MaskLayout = 'NCHW' | 'NHWC';

const masked = { image: 'lumen_image', baseline: 'lumen_baseline', mask: 'lumen_mask', weightedMasks: 'lumen_weighted_masks' } as const;

/**
 * The perturbation graph, a rewrite of a forward-only compiled graph: the model's input becomes
 * baseline + mask * (image - baseline), with one image and one baseline for every row and a
 * one-channel mask per row, so that thousands of perturbed inputs are made inside onnxruntime
 * from masks alone. A second output sums objective x mask over the rows ([1, pixels]): what RISE
 * accumulates, done by onnxruntime too.
 */
export function maskInput(graph: { model: Model; io: CompiledInterface }, inputDims: number[], layout: MaskLayout): { model: Model; io: CompiledInterface } {
  const { model, io } = graph;
  if (io.inputGradient || io.taps.length > 0) throw new LumenError('internal', 'A perturbation graph is forward only.');
  const rowDims = inputDims.slice(1);
  const [h, w] = layout === 'NCHW' ? [rowDims[1]!, rowDims[2]!] : [rowDims[0]!, rowDims[1]!];
  const node = (opType: string, inputs: string[], output: string): Node => ({ name: output, opType, domain: '', inputs, outputs: [output], attributes: [] });
  const prelude: Node[] = [
    node('Sub', [masked.image, masked.baseline], 'lumen_masked_difference'),
    node('Mul', [masked.mask, 'lumen_masked_difference'], 'lumen_masked_change'),
    node('Add', [masked.baseline, 'lumen_masked_change'], io.image),
  ];
  // Its own name prefix: the compiled graph's emitter already used the default one.
  const emit = new Emitter(defaultOpset(model), 'lumen_masked_');
  const flatMasks = emit.reshape(masked.mask, emit.ints([0, -1]));
  const rowObjectives = emit.unsqueeze(io.objective, [0]);
  emit.nodes.push({ name: masked.weightedMasks, opType: 'MatMul', domain: '', inputs: [rowObjectives, flatMasks], outputs: [masked.weightedMasks], attributes: [] });

  const maskInputs: Model['graph']['inputs'] = [
    { name: masked.image, elemType: DataType.FLOAT, shape: [1, ...rowDims] },
    { name: masked.baseline, elemType: DataType.FLOAT, shape: [1, ...rowDims] },
    { name: masked.mask, elemType: DataType.FLOAT, shape: layout === 'NCHW' ? ['batch', 1, h, w] : ['batch', h, w, 1] },
  ];
  // The masked inputs take the image's place; a reference input stays last.
  const inputs = model.graph.inputs.filter((v) => v.name !== io.image && v.name !== referenceInput);
  inputs.push(...maskInputs, ...model.graph.inputs.filter((v) => v.name === referenceInput));
  return {
    model: {
      ...model,
      graph: {
        ...model.graph,
        nodes: [...prelude, ...model.graph.nodes, ...emit.nodes],
        initializers: [...model.graph.initializers, ...emit.initializers],
        inputs,
        outputs: [...model.graph.outputs, { name: masked.weightedMasks, elemType: DataType.FLOAT, shape: [1, 'pixels'] }],
      },
    },
    io: { ...io, masked: { ...masked } },
  };
}
