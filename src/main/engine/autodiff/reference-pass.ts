import type { GraphIndex } from '../onnx/graph-index';
import type { Node } from '../onnx/ir';

export const referenceInput = 'lumen_reference';

export interface ReferencePass {
  /** The reference-pass twin of a forward tensor (the reference input for the image). */
  name: (tensor: string) => string;
  /** The forward nodes again, on the twins; empty for rule sets without a reference. */
  nodes: Node[];
}

/** DeepLIFT-style rules compare with a reference: the forward graph again, run on the reference input. */
export function referencePass(forward: Node[], forwardIndex: GraphIndex, image: string, needed: boolean): ReferencePass {
  const name = (tensor: string): string => {
    if (tensor === image) return referenceInput;
    return forwardIndex.producer.has(tensor) ? `${tensor}__lumen_ref` : tensor;
  };
  const nodes = needed ? forward.map((n) => ({ ...n, name: `${n.name || n.outputs[0]}__lumen_ref`, inputs: n.inputs.map((i) => (i ? name(i) : i)), outputs: n.outputs.map((o) => (o ? name(o) : o)) })) : [];
  return { name, nodes };
}
