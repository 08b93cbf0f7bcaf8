import { LumenError } from '../../../shared/errors';
import { GraphIndex } from '../onnx/graph-index';
import type { Node } from '../onnx/ir';
import type { CompileRequest } from './compile';
import type { Emitter } from './emitter';
import { nodeRoles } from './node-roles';
import { resolveObjective, type ResolvedObjective } from './objective';
import type { CompilableModel } from './prepare-model';
import { shapeOf } from './probed-shape';
import { referencePass, type ReferencePass } from './reference-pass';
import type { OpRule } from './rule';
import { trainableParameters } from './trainable-parameters';

/** What the reverse sweep visits, decided before any backward node is emitted. */
export interface SweepPlan {
  /** The forward nodes in topological order, copies that rules may extend (MaxPool indices). */
  forward: Node[];
  /** The model's graph (its initializers). */
  index: GraphIndex;
  /** The graph of the copied forward nodes. */
  forwardIndex: GraphIndex;
  objective: ResolvedObjective;
  /** [batch, classes] of the objective tensor. */
  scoresDims: number[];
  classCount: number;
  taps: string[];
  /** The tensor whose gradient a tap has (an Identity copy has its source's). */
  aliasOf: (name: string) => string;
  wantInput: boolean;
  ruleOf: Map<Node, OpRule | undefined>;
  /** Tensors the objective depends on. */
  reachesObjective: Set<string>;
  /** Tensors that depend on a tensor whose gradient is wanted. */
  dependsOnSource: Set<string>;
  /** Initializers differentiated in a training graph (empty otherwise). */
  parameters: Set<string>;
  reference: ReferencePass;
}

/**
 * The second step of compiling: the objective, the rule of each node, and which nodes lie between
 * the objective and the tensors whose gradients are wanted (the input, taps, parameters).
 */
export function planSweep(prepared: CompilableModel, request: CompileRequest, emit: Emitter): SweepPlan {
  const { model, probe } = prepared;
  const index = new GraphIndex(model.graph);
  const forward = index.topologicalOrder().map((n) => ({ ...n, outputs: [...n.outputs], attributes: [...n.attributes] }));
  const forwardIndex = new GraphIndex({ ...model.graph, nodes: forward });

  const objective = resolveObjective(forwardIndex, request.output, request.objective, emit);
  // The scores may be emitted (a softmax of the logits): they have the shape of `start`.
  const scoresDims = shapeOf(probe, objective.start);
  if (scoresDims.length !== 2) throw new LumenError('unsupported-model', `The objective tensor "${objective.scores}" has shape [${scoresDims.join(', ')}], not [batch, classes].`);

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
  const ruleOf = new Map<Node, OpRule | undefined>();
  for (const node of forward) ruleOf.set(node, request.rules.ruleFor(node, roles.get(node)!));

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

  const reference = referencePass(forward, forwardIndex, request.input.name, request.rules.needsReference ?? false);
  return { forward, index, forwardIndex, objective, scoresDims, classCount: scoresDims[1]!, taps, aliasOf, wantInput, ruleOf, reachesObjective, dependsOnSource, parameters, reference };
}
