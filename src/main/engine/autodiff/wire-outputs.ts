import { LumenError } from '../../../shared/errors';
import { DataType, type Model } from '../onnx/ir';
import type { CompiledInterface, CompileRequest } from './compile';
import type { Emitter } from './emitter';
import type { CompilableModel } from './prepare-model';
import { shapeOf } from './probed-shape';
import { referenceInput } from './reference-pass';
import { seedInput, type GradientOf } from './sweep';
import type { SweepPlan } from './sweep-plan';

const objectiveOutput = 'lumen_objective';
const inputGradientOutput = 'lumen_input_gradient';
const referenceObjectiveOutput = 'lumen_reference_objective';

/**
 * The last step of compiling: the graph's inputs (the seed, the reference, a training graph's
 * parameters) and outputs (the objective per row, the input gradient, the taps' values and
 * gradients, the parameters' gradients), around the forward, reference and backward nodes.
 */
export function wireOutputs(prepared: CompilableModel, plan: SweepPlan, request: CompileRequest, gradientOf: GradientOf, emit: Emitter): { model: Model; io: CompiledInterface } {
  const { model } = prepared;
  const outputs: Model['graph']['outputs'] = [...model.graph.outputs];
  const identity = (from: string, to: string): void => {
    emit.nodes.push({ name: `${to}_identity`, opType: 'Identity', domain: '', inputs: [from], outputs: [to], attributes: [] });
  };
  const objectiveValue = emit.reduceSum(emit.mul(seedInput, plan.objective.scores), [1], false);
  identity(objectiveValue, objectiveOutput);
  outputs.push({ name: objectiveOutput, elemType: DataType.FLOAT, shape: ['batch'] });
  const io: CompiledInterface = { image: request.input.name, seed: seedInput, objective: objectiveOutput, taps: [], scores: plan.objective.scores };
  if (plan.wantInput) {
    const g = gradientOf(request.input.name);
    if (!g) throw new LumenError('unsupported-model', `The model's output "${request.output}" does not depend on its input "${request.input.name}" through differentiable operators.`);
    identity(g, inputGradientOutput);
    outputs.push({ name: inputGradientOutput, elemType: DataType.FLOAT, shape: ['batch', ...request.input.dims.slice(1)] });
    io.inputGradient = inputGradientOutput;
  }
  plan.taps.forEach((tap, k) => {
    const g = gradientOf(plan.aliasOf(tap));
    if (!g) throw new LumenError('invalid-argument', `The tensor "${tap}" does not influence the objective, so it has no gradient.`);
    const value = `lumen_tap_value_${k}`;
    const gradient = `lumen_tap_gradient_${k}`;
    identity(tap, value);
    identity(g, gradient);
    outputs.push({ name: value }, { name: gradient });
    io.taps.push({ tensor: tap, value, gradient, dims: shapeOf(prepared.probeOne, tap) });
  });
  const parameterInputs: Model['graph']['inputs'] = [];
  if (request.parameters) {
    io.parameters = [];
    [...plan.parameters].forEach((name, k) => {
      const dims = plan.index.initializers.get(name)!.dims;
      const gradient = `lumen_parameter_gradient_${k}`;
      identity(gradientOf(name) ?? emit.zerosLike(name), gradient);
      outputs.push({ name: gradient, elemType: DataType.FLOAT, shape: dims });
      parameterInputs.push({ name, elemType: DataType.FLOAT, shape: dims });
      io.parameters!.push({ name, gradient, dims });
    });
  }

  const inputs = [...model.graph.inputs, ...parameterInputs, { name: seedInput, elemType: DataType.FLOAT, shape: [prepared.batchable ? 'batch' : plan.scoresDims[0]!, plan.classCount] }];
  if (request.rules.needsReference) {
    const image = model.graph.inputs.find((v) => v.name === request.input.name)!;
    inputs.push({ ...image, name: referenceInput });
    io.reference = referenceInput;
    // f(x') from the reference pass the rules run anyway: DeepLIFT's summation-to-delta check
    // then needs no second row per reference.
    const referenceScores = plan.objective.scoresOf(plan.reference.name(plan.objective.start));
    identity(emit.reduceSum(emit.mul(seedInput, referenceScores), [1], false), referenceObjectiveOutput);
    outputs.push({ name: referenceObjectiveOutput, elemType: DataType.FLOAT, shape: ['batch'] });
    io.referenceObjective = referenceObjectiveOutput;
  }
  // A training graph's parameters are fed at every step: they are inputs, no longer initializers.
  const initializers = request.parameters ? model.graph.initializers.filter((t) => !plan.parameters.has(t.name)) : model.graph.initializers;
  return {
    model: {
      ...model,
      producerName: 'lumen-attribution-compiler',
      graph: {
        ...model.graph,
        nodes: [...plan.forward, ...plan.reference.nodes, ...emit.nodes],
        initializers: [...initializers, ...emit.initializers],
        inputs,
        outputs,
        valueInfo: [],
      },
    },
    io,
  };
}
