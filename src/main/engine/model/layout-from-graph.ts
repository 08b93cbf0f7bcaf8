import type { Layout } from '../../../shared/model-card';
import type { Model } from '../onnx/ir';

/** Ops that pass the image through unchanged in layout on the way to the first real layer. */
const layoutPreserving = new Set(['Cast', 'Identity']);

/**
 * The layout a model's image input is in, read from what the graph does with it: TensorFlow/Keras
 * exports (tf2onnx) take [N, H, W, C] and transpose it to [N, C, H, W] (perm 0,3,1,2) before the
 * first convolution. Decides shapes the dims alone leave open ([1, 3, 3, 3], or every dim dynamic).
 */
export function layoutFromGraph(model: Model, input: string): Layout | undefined {
  const seen = new Set<string>();
  let frontier = [input];
  for (let depth = 0; depth < 4 && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const name of frontier) {
      if (seen.has(name)) continue;
      seen.add(name);
      for (const node of model.graph.nodes) {
        if (!node.inputs.includes(name)) continue;
        if (node.opType === 'Transpose') {
          const perm = node.attributes.find((a) => a.name === 'perm')?.ints?.join(',');
          if (perm === '0,3,1,2') return 'NHWC';
          if (perm === '0,2,3,1') return 'NCHW';
        } else if (layoutPreserving.has(node.opType)) {
          next.push(...node.outputs);
        }
      }
    }
    frontier = next;
  }
  return undefined;
}
