import { Emitter } from './emitter';
import { maskInput } from './masked-input';
import type { Model } from '../onnx/ir';
import type { Objective } from './objective';
import { prepareModel } from './prepare-model';
import type { RuleSet } from './rule-set';
import { sweep } from './sweep';
import { planSweep } from './sweep-plan';
import { wireOutputs } from './wire-outputs';

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
   * perturbed inputs are made inside onnxruntime from masks alone. Forward only: the compiled
   * graph is rewritten by maskInput (masked-input.ts).
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
  /** [batch]: the objective of each row's reference image (its reference pass), with `reference`. */
  referenceObjective?: string;
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

/**
 * The attribution compiler: the model's forward graph plus a backward graph of standard ONNX
 * operators, so that stock onnxruntime (any execution provider) computes gradients. One compiled
 * graph serves every class and every batch row: the target enters as the `seed` input.
 * The steps: prepare the model, plan the sweep, sweep, wire the outputs; a perturbation graph is
 * then rewritten to take masks (masked-input.ts).
 */
export async function compileAttributionGraph(request: CompileRequest): Promise<CompiledGraph> {
  const prepared = await prepareModel(request);
  const emit = new Emitter(prepared.opset);
  const plan = planSweep(prepared, request, emit);
  const gradientOf = await sweep(prepared, plan, request.rules, emit);
  const wired = wireOutputs(prepared, plan, request, gradientOf, emit);
  const graph = request.maskedInput ? maskInput(wired, request.input.dims, request.maskedInput.layout) : wired;

  let activationElements = 0;
  for (const [name, t] of prepared.probeOne) if (plan.forwardIndex.producer.has(name)) activationElements += t.dims.reduce((a, b) => a * b, 1);
  return {
    ...graph,
    batchable: prepared.batchable,
    classCount: plan.classCount,
    notes: plan.objective.note ? [...prepared.notes, plan.objective.note] : prepared.notes,
    activationElements,
  };
}
