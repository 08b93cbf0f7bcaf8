import { LumenError } from '../../../shared/errors';
import { Attributes, type GraphIndex } from '../onnx/graph-index';
import { DataType, type Node } from '../onnx/ir';
import type { Probe } from '../onnx/shape-probe';
import { floatValues, intValues } from '../onnx/tensor-values';
import type { Emitter } from './emitter';
import { shapeOf } from './probed-shape';
import type { BackwardContext, PrepareContext } from './rule';
import type { RuleSet } from './rule-set';

/** What a rule may see of the graph being compiled, beyond its own node. */
export interface ContextParts {
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

/** What a rule's `prepare` sees (before the sweep, with onnxruntime at hand). */
export function prepareContextFor(node: Node, opset: number, probe: Probe, probeOne: Probe, index: GraphIndex): PrepareContext {
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

/** What a rule's `backward` sees during the sweep. */
export function backwardContextFor(node: Node, parts: ContextParts): BackwardContext {
  return {
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
}
