import type { Model } from '../../onnx/ir';
import type { Probe } from '../../onnx/shape-probe';

export type Canonizer = (model: Model, probe: Probe) => Model;

/** Applies canonizers in order, each to the result of the one before (Zennit's CompositeCanonizer). */
export function composeCanonizers(...canonizers: Canonizer[]): Canonizer {
  return (model, probe) => canonizers.reduce((m, canonize) => canonize(m, probe), model);
}
