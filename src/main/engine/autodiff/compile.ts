import { LumenError } from '../../../shared/errors';
import { makeBatchDynamic } from '../onnx/dynamic-batch';
import { Attributes, GraphIndex } from '../onnx/graph-index';
import { DataType, type Model, type Node } from '../onnx/ir';
import { upgradeOpset, defaultOpset } from '../onnx/opset-upgrade';
import { probeModel, type Probe } from '../onnx/shape-probe';
import { floatValues, intValues } from '../onnx/tensor-values';
import { prepareForCompiling } from './canonizers/for-gradients';
import { Emitter } from './emitter';
import { resolveObjective, type Objective } from './objective';
import type { BackwardContext, Grads, PrepareContext } from './rule';
import type { NodeRole, RuleSet } from './rule-set';
import { supportedOperators } from './rules';

export interface CompileRequest {
  model: Model;
  /** The image input and its dims at batch 1 (from the model card). */
  input: { name: string; dims: number[] };
  /** The class-score output named by the model card. */
  output: string;
  objective: Objective;
  rules: RuleSet;
  /** Tensors whose value and gradient are wanted (e.g. the layer Grad-CAM reads). */
  taps?: string[];
  /** Whether d objective / d input is wanted; off when only taps are (a partial backward). */
  inputGradient?: boolean;
  /**
   * Perturbation graphs: the model input becomes baseline + mask * (image - baseline), with one
   * image and one baseline for every row and a one-channel mask per row, so that thousands of
   * perturbed inputs are made inside onnxruntime from masks alone. Forward only.
   */
  maskedInput?: { layout: 'NCHW' | 'NHWC' };
  /**
   * Training graphs: the float initializers the objective depends on become graph inputs (fed at
   * every step, so new weights need no recompiling) and their gradients become outputs, summed
   * over the batch, in the same forward+backward graph.
   */
  parameters?: boolean;
}

/** Names of the compiled graph's inputs and outputs. */
export interface CompiledInterface {
  image: string;
  /** [batch, classes]: the weight of each class in the objective (a one-hot target per row). */
  seed: string;
  /** The reference images, for rule sets that need them (DeepLIFT). */
  reference?: string;
  /** [batch]: sum_k seed[b,k] * objective tensor[b,k]. */
  objective: string;
  inputGradient?: string;
  taps: Array<{ tensor: string; value: string; gradient: string; dims: number[] }>;
  /** [batch, classes]: the tensor that is differentiated (pre-softmax logits by default). */
  scores: string;
  /** Inputs of a perturbation graph (see CompileRequest.maskedInput). */
  masked?: { image: string; baseline: string; mask: string; weightedMasks: string };
  /** Parameters of a training graph (see CompileRequest.parameters): input name, gradient output, dims. */
  parameters?: Array<{ name: string; gradient: string; dims: number[] }>;
}

export interface CompiledGraph {
  model: Model;
  io: CompiledInterface;
  /** False when the model only runs with batch 1 (see note). */
  batchable: boolean;
  classCount: number;
  notes: string[];
  /** Per-row element counts of every forward tensor, for memory planning. */
  activationElements: number;
}

const objectiveOutput = 'lumen_objective';
const seedInput = 'lumen_seed';
const referenceInput = 'lumen_reference';
const inputGradientOutput = 'lumen_input_gradient';

/**
 * The attribution compiler: the model's forward graph plus a backward graph of standard ONNX
 * operators, so that stock onnxruntime (any execution provider) computes gradients. One compiled
 * graph serves every class and every batch row: the target enters as the `seed` input.
 */
export async function compileAttributionGraph(request: CompileRequest): Promise<CompiledGraph> {
  const { rules } = request;
  // Half precision computed in float32, QDQ dequantised: the result says so (notes).
  const canonical = prepareForCompiling(request.model, request.maskedInput !== undefined);
  const notes: string[] = [...canonical.notes];
  const probe1 = await probeModel(canonical.model, { name: request.input.name, dims: request.input.dims });
  let model = upgradeOpset(canonical.model, 16, probe1);
  if (rules.canonize) model = rules.canonize(model, probe1);
  const batch = await makeBatchDynamic(model, request.input.name, request.input.dims);
  model = batch.model;
  if (batch.note) notes.push(`Model ${batch.note}.`);

  // Batchable models are probed at batch 1 and 2 (the dims that differ are batch axes); others
  // only at the batch size they were exported with.
  const dims = (n: number): number[] => [n, ...request.input.dims.slice(1)];
  const probeOne = await probeModel(model, { name: request.input.name, dims: batch.batchable ? dims(1) : request.input.dims });
  const probe = batch.batchable ? await probeModel(model, { name: request.input.name, dims: dims(2) }) : probeOne;
  const opset = defaultOpset(model);
  const emit = new Emitter(opset);
  const index = new GraphIndex(model.graph);
  // Rules may attach outputs to forward nodes (MaxPool indices): work on copies.
  const forward = index.topologicalOrder().map((n) => ({ ...n, outputs: [...n.outputs], attributes: [...n.attributes] }));
  const forwardIndex = new GraphIndex({ ...model.graph, nodes: forward });

  const objective = resolveObjective(forwardIndex, request.output, request.objective, emit);
  if (objective.note) notes.push(objective.note);
  // The scores may be emitted (a softmax of the logits): they have the shape of `start`.
  const scoresDims = shapeOf(probe, objective.start);
  if (scoresDims.length !== 2) throw new LumenError('unsupported-model', `The objective tensor "${objective.scores}" has shape [${scoresDims.join(', ')}], not [batch, classes].`);
  const classCount = scoresDims[1]!;

  // Which tensors the gradient must reach, and which nodes lie between them and the objective.
  const taps = request.taps ?? [];
  for (const tap of taps) {
    if (!probe.has(tap) || index.initializers.has(tap)) {
      throw new LumenError('invalid-argument', `There is no intermediate tensor named "${tap}" in the model.`, 'List the candidate layers with `lumen layers --model M`.');
    }
  }
  // A tap that is an Identity copy of another tensor (exporters add these as extra outputs) has
  // that tensor's gradient.
  const aliasOf = (name: string): string => {
    let current = name;
    for (let p = forwardIndex.producer.get(current); p?.node.opType === 'Identity'; p = forwardIndex.producer.get(current)) current = p.node.inputs[0]!;
    return current;
  };
  const wantInput = request.inputGradient ?? true;
  const sources = new Set<string>(wantInput ? [request.input.name, ...taps.map(aliasOf)] : taps.map(aliasOf));
  const roles = nodeRoles(forward, request.input.name);
  const ruleOf = new Map<Node, ReturnType<RuleSet['ruleFor']>>();
  for (const node of forward) ruleOf.set(node, rules.ruleFor(node, roles.get(node)!));

  const reachesObjective = new Set<string>([objective.start]);
  for (let i = forward.length - 1; i >= 0; i--) {
    const node = forward[i]!;
    if (node.outputs.some((o) => reachesObjective.has(o))) for (const input of node.inputs) if (input) reachesObjective.add(input);
  }
  const parameters = request.parameters ? trainableParameters(forward, index, ruleOf, reachesObjective) : new Set<string>();
  for (const p of parameters) sources.add(p);

  const dependsOnSource = new Set<string>(sources);
  for (const node of forward) {
    const rule = ruleOf.get(node);
    const differentiable = rule?.differentiable ?? 'all';
    const inputs = differentiable === 'all' ? node.inputs : [...differentiable, ...(request.parameters ? (rule?.parameters ?? []) : [])].map((i) => node.inputs[i] ?? '');
    if (inputs.some((name) => name && dependsOnSource.has(name))) for (const o of node.outputs) if (o) dependsOnSource.add(o);
  }

  // Reference pass for DeepLIFT-style rules: the forward graph again, on the reference input.
  const referenceName = (name: string): string => {
    if (name === request.input.name) return referenceInput;
    return forwardIndex.producer.has(name) ? `${name}__lumen_ref` : name;
  };
  const referenceNodes: Node[] = rules.needsReference
    ? forward.map((n) => ({ ...n, name: `${n.name || n.outputs[0]}__lumen_ref`, inputs: n.inputs.map((i) => (i ? referenceName(i) : i)), outputs: n.outputs.map((o) => (o ? referenceName(o) : o)) }))
    : [];

  // Rules that need onnxruntime to prepare (Resize) do so now, for the nodes the sweep will visit.
  const prepared = new Map<Node, unknown>();
  for (const node of forward) {
    const rule = ruleOf.get(node);
    const onPath = node.outputs.some((o) => reachesObjective.has(o)) && node.inputs.some((i) => i && dependsOnSource.has(i));
    if (rule?.prepare && onPath) prepared.set(node, await rule.prepare(prepareContextFor(node, opset, probe, probeOne, forwardIndex)));
  }

  // The reverse sweep: each node's rule turns its outputs' gradients into its inputs' gradients.
  const contributions = new Map<string, string[]>();
  const finalGradient = new Map<string, string>();
  const gradientOf = (name: string): string | undefined => {
    const done = finalGradient.get(name);
    if (done) return done;
    const parts = contributions.get(name);
    if (!parts || parts.length === 0) return undefined;
    const total = emit.sum(parts);
    finalGradient.set(name, total);
    return total;
  };
  contributions.set(objective.start, [objective.seedGradient(seedInput, rules.seed ?? 'gradient')]);

  for (let i = forward.length - 1; i >= 0; i--) {
    const node = forward[i]!;
    if (!node.outputs.some((o) => reachesObjective.has(o))) continue;
    const rule = ruleOf.get(node);
    const needs = node.inputs.map((name) => !!name && dependsOnSource.has(name) && (!index.initializers.has(name) || parameters.has(name)));
    if (!needs.some(Boolean)) continue;
    const gradOutputs: Grads = node.outputs.map((o) => (o ? gradientOf(o) : undefined));
    if (gradOutputs.every((g) => g === undefined)) continue;
    if (!rule) throw noBackward(node, rules, opset);
    const ctx = contextFor(node, { emit, probe, probeOne, batchable: batch.batchable, index: forwardIndex, needs, referenceName, rules, prepared: prepared.get(node), parameters });
    const grads = rule.backward(ctx, gradOutputs);
    grads.forEach((g, k) => {
      const name = node.inputs[k];
      if (!g || !name || !needs[k]) return;
      const list = contributions.get(name);
      if (list) list.push(g);
      else contributions.set(name, [g]);
    });
  }

  // Outputs: the objective per row, the input gradient, the taps.
  const outputs: Model['graph']['outputs'] = [...model.graph.outputs];
  const identity = (from: string, to: string): void => {
    emit.nodes.push({ name: `${to}_identity`, opType: 'Identity', domain: '', inputs: [from], outputs: [to], attributes: [] });
  };
  const objectiveValue = emit.reduceSum(emit.mul(seedInput, objective.scores), [1], false);
  const objectiveOutputValue = (): string => objectiveValue;
  identity(objectiveValue, objectiveOutput);
  outputs.push({ name: objectiveOutput, elemType: DataType.FLOAT, shape: ['batch'] });
  const io: CompiledInterface = { image: request.input.name, seed: seedInput, objective: objectiveOutput, taps: [], scores: objective.scores };
  if (wantInput) {
    const g = gradientOf(request.input.name);
    if (!g) throw new LumenError('unsupported-model', `The model's output "${request.output}" does not depend on its input "${request.input.name}" through differentiable operators.`);
    identity(g, inputGradientOutput);
    outputs.push({ name: inputGradientOutput, elemType: DataType.FLOAT, shape: ['batch', ...request.input.dims.slice(1)] });
    io.inputGradient = inputGradientOutput;
  }
  taps.forEach((tap, k) => {
    const g = gradientOf(aliasOf(tap));
    if (!g) throw new LumenError('invalid-argument', `The tensor "${tap}" does not influence the objective, so it has no gradient.`);
    const value = `lumen_tap_value_${k}`;
    const gradient = `lumen_tap_gradient_${k}`;
    identity(tap, value);
    identity(g, gradient);
    outputs.push({ name: value }, { name: gradient });
    io.taps.push({ tensor: tap, value, gradient, dims: shapeOf(probeOne, tap) });
  });
  const parameterInputs: Model['graph']['inputs'] = [];
  if (request.parameters) {
    io.parameters = [];
    [...parameters].forEach((name, k) => {
      const dims = index.initializers.get(name)!.dims;
      const gradient = `lumen_parameter_gradient_${k}`;
      identity(gradientOf(name) ?? emit.zerosLike(name), gradient);
      outputs.push({ name: gradient, elemType: DataType.FLOAT, shape: dims });
      parameterInputs.push({ name, elemType: DataType.FLOAT, shape: dims });
      io.parameters!.push({ name, gradient, dims });
    });
  }

  const prelude: Node[] = [];
  let inputs = [...model.graph.inputs, ...parameterInputs, { name: seedInput, elemType: DataType.FLOAT, shape: [batch.batchable ? 'batch' : scoresDims[0]!, classCount] }];
  if (request.maskedInput) {
    if (wantInput || taps.length > 0) throw new LumenError('internal', 'A perturbation graph is forward only.');
    const rowDims = request.input.dims.slice(1);
    const [h, w] = request.maskedInput.layout === 'NCHW' ? [rowDims[1]!, rowDims[2]!] : [rowDims[0]!, rowDims[1]!];
    const masked = { image: 'lumen_image', baseline: 'lumen_baseline', mask: 'lumen_mask', weightedMasks: 'lumen_weighted_masks' };
    const node = (opType: string, inputs: string[], output: string): Node => ({ name: output, opType, domain: '', inputs, outputs: [output], attributes: [] });
    prelude.push(
      node('Sub', [masked.image, masked.baseline], 'lumen_masked_difference'),
      node('Mul', [masked.mask, 'lumen_masked_difference'], 'lumen_masked_change'),
      node('Add', [masked.baseline, 'lumen_masked_change'], request.input.name),
    );
    // sum over the rows of objective x mask, [1, pixels]: what RISE accumulates, done by onnxruntime.
    const flatMasks = emit.reshape(masked.mask, emit.ints([0, -1]));
    const rowObjectives = emit.unsqueeze(objectiveOutputValue(), [0]);
    emit.nodes.push({ name: 'lumen_weighted_masks', opType: 'MatMul', domain: '', inputs: [rowObjectives, flatMasks], outputs: [masked.weightedMasks], attributes: [] });
    outputs.push({ name: masked.weightedMasks, elemType: DataType.FLOAT, shape: [1, 'pixels'] });
    inputs = inputs.filter((v) => v.name !== request.input.name);
    inputs.push(
      { name: masked.image, elemType: DataType.FLOAT, shape: [1, ...rowDims] },
      { name: masked.baseline, elemType: DataType.FLOAT, shape: [1, ...rowDims] },
      { name: masked.mask, elemType: DataType.FLOAT, shape: request.maskedInput.layout === 'NCHW' ? ['batch', 1, h, w] : ['batch', h, w, 1] },
    );
    io.masked = masked;
  }
  if (rules.needsReference) {
    const image = model.graph.inputs.find((v) => v.name === request.input.name)!;
    inputs.push({ ...image, name: referenceInput });
    io.reference = referenceInput;
  }
  let activationElements = 0;
  for (const [name, t] of probeOne) if (forwardIndex.producer.has(name)) activationElements += t.dims.reduce((a, b) => a * b, 1);

  return {
    model: {
      ...model,
      producerName: 'lumen-attribution-compiler',
      graph: {
        ...model.graph,
        nodes: [...prelude, ...forward, ...referenceNodes, ...emit.nodes],
        initializers: [...(request.parameters ? model.graph.initializers.filter((t) => !parameters.has(t.name)) : model.graph.initializers), ...emit.initializers],
        inputs,
        outputs,
        valueInfo: [],
      },
    },
    io,
    batchable: batch.batchable,
    classCount,
    notes,
    activationElements,
  };
}

function shapeOf(probe: Probe, name: string): number[] {
  const t = probe.get(name);
  if (!t) throw new LumenError('internal', `No probed shape for tensor "${name}".`);
  return t.dims;
}

/** The compile error for an operator without a backward: names the operator, node and opset, and what still works. */
function noBackward(node: Node, rules: RuleSet, opset: number): LumenError {
  const custom = node.domain && node.domain !== 'ai.onnx';
  const op = custom ? `${node.domain}.${node.opType}` : node.opType;
  const version = custom ? `domain ${node.domain}` : `opset ${opset}`;
  if (rules.label) {
    return new LumenError(
      'unsupported-model',
      `${rules.label} has no rule for the ${op} operator (node "${node.name || node.outputs[0]}", ${version}).`,
      'Use a gradient-based method (gradient, Integrated Gradients, SmoothGrad...) for this model; they differentiate it.',
      { operator: op, node: node.name, opset },
    );
  }
  return new LumenError(
    'unsupported-model',
    `Lumen cannot differentiate the ${op} operator (node "${node.name || node.outputs[0]}", ${version}), so gradient-based methods are unavailable for this model.`,
    `The forward-only methods still work: occlusion, RISE, LIME, KernelSHAP and Shapley values (they need no backward). Gradient-based methods need a backward for every operator between the input and the output; supported: ${supportedOperators().join(', ')}.`,
    { operator: op, node: node.name, opset },
  );
}

interface ContextParts {
  emit: Emitter;
  probe: Probe;
  probeOne: Probe;
  batchable: boolean;
  index: GraphIndex;
  needs: boolean[];
  referenceName: (name: string) => string;
  rules: RuleSet;
  prepared: unknown;
  parameters?: Set<string>;
}

function unsupportedAt(node: Node): (why: string) => never {
  return (why) => {
    throw new LumenError('unsupported-model', `Lumen cannot differentiate ${node.opType} node "${node.name || node.outputs[0]}": ${why}.`, 'Perturbation methods (occlusion, RISE, LIME, SHAP) work with any model.');
  };
}

/** Integer values known when compiling: constants, or shape arithmetic that does not change with the batch. */
function knownIntsOf(index: GraphIndex, probe: Probe, probeOne: Probe, name: string): number[] | undefined {
  const c = index.constant(name);
  if (c) return intValues(c);
  const a = probeOne.get(name)?.ints;
  const b = probe.get(name)?.ints;
  return a && b && a.length === b.length && a.every((v, i) => v === b[i]) ? a : undefined;
}

function prepareContextFor(node: Node, opset: number, probe: Probe, probeOne: Probe, index: GraphIndex): PrepareContext {
  return {
    node,
    opset,
    shape: (name) => shapeOf(probe, name),
    knownInts: (name) => knownIntsOf(index, probe, probeOne, name),
    knownFloats: (name) => {
      const c = index.constant(name);
      return c && c.dataType !== DataType.INT64 && c.dataType !== DataType.INT32 ? Array.from(floatValues(c)) : undefined;
    },
    unsupported: unsupportedAt(node),
  };
}

function contextFor(node: Node, parts: ContextParts): BackwardContext {
  const ctx: BackwardContext = {
    node,
    attrs: new Attributes(node),
    emit: parts.emit,
    input: (i) => node.inputs[i] ?? '',
    output: (i) => node.outputs[i] ?? '',
    shape: (name) => shapeOf(parts.probe, name),
    isBatchAxis: (name, axis) => parts.batchable && shapeOf(parts.probe, name)[axis] !== shapeOf(parts.probeOne, name)[axis],
    constant: (name) => (parts.parameters?.has(name) ? undefined : parts.index.constant(name)),
    knownInts: (name) => knownIntsOf(parts.index, parts.probe, parts.probeOne, name),
    needsGrad: (i) => parts.needs[i] ?? false,
    producerOp: (name) => parts.index.producer.get(name)?.node.opType,
    reference: (name) => {
      if (!parts.rules.needsReference) throw new LumenError('internal', `Rule set "${parts.rules.id}" has no reference pass.`);
      return parts.referenceName(name);
    },
    unsupported: unsupportedAt(node),
    prepared: <T>() => parts.prepared as T,
  };
  return ctx;
}

/**
 * The float initializers a training graph differentiates: those read by a node whose output
 * reaches the objective, at an input its rule differentiates (or names among its parameters).
 * A float initializer read elsewhere (a Clip bound, a running statistic the rule does not train)
 * is refused unless the rule declares it frozen: full retraining would silently skip it.
 */
function trainableParameters(forward: Node[], index: GraphIndex, ruleOf: Map<Node, ReturnType<RuleSet['ruleFor']>>, reachesObjective: Set<string>): Set<string> {
  const parameters = new Set<string>();
  for (const node of forward) {
    if (!node.outputs.some((o) => reachesObjective.has(o))) continue;
    const rule = ruleOf.get(node);
    node.inputs.forEach((name, k) => {
      const t = name ? index.initializers.get(name) : undefined;
      if (!t || t.dataType !== DataType.FLOAT) return;
      const differentiable = rule?.differentiable ?? [];
      if (differentiable === 'all' || differentiable.includes(k) || rule?.parameters?.includes(k)) parameters.add(name);
      else if (!rule?.frozen?.includes(k)) {
        throw new LumenError('unsupported-model', `Full retraining does not support ${node.opType} parameters (node "${node.name || node.outputs[0]}", input "${name}").`, 'Use retrain "head" (roar-head): the classification head is retrained on frozen features.', { operator: node.opType, node: node.name });
      }
    });
  }
  return parameters;
}

/** Marks the first linear layers: those reading the image with no Conv/Gemm/MatMul in between. */
function nodeRoles(nodes: Node[], input: string): Map<Node, NodeRole> {
  const linear = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);
  const beforeLinear = new Set<string>([input]);
  const roles = new Map<Node, NodeRole>();
  for (const node of nodes) {
    const fed = node.inputs.some((i) => beforeLinear.has(i));
    roles.set(node, { firstLayer: fed && linear.has(node.opType) });
    if (fed && !linear.has(node.opType)) for (const o of node.outputs) beforeLinear.add(o);
  }
  return roles;
}
