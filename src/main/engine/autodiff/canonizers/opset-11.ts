import { LumenError } from '../../../../shared/errors';
import type { Attribute, Model, Node, Tensor } from '../../onnx/ir';
import { defaultOpset, minimumOpset } from '../../onnx/opset-upgrade';
import { floatTensor, int64Tensor } from '../../onnx/tensor-values';

/**
 * Brings a model of opset 7 to 10 (what the TorchScript exporter writes with old opset_version
 * settings) to opset 11, where the compiler's opset upgrade starts: the operators whose attributes
 * became inputs (Pad, Slice, Clip, Upsample's scales) get them as constant inputs, Upsample becomes
 * the Resize it was renamed to, Dropout becomes an identity and BatchNormalization loses the
 * `spatial` flag (1, the only value exporters write, is opset 11's behaviour). Every other
 * operator an image classifier uses kept its meaning from opset 7 to 11.
 */
export function upgradeToOpset11(model: Model): Model {
  const from = defaultOpset(model);
  if (from >= minimumOpset || from < 7) return model;
  const added: Tensor[] = [];
  let counter = 0;
  const constant = (t: (name: string) => Tensor): string => {
    const name = `lumen_opset11_${counter++}`;
    added.push(t(name));
    return name;
  };
  const attr = (node: Node, name: string): Attribute | undefined => node.attributes.find((a) => a.name === name);
  const without = (node: Node, ...names: string[]): Attribute[] => node.attributes.filter((a) => !names.includes(a.name));
  const nodes = model.graph.nodes.map((node): Node => {
    if (node.domain !== '' && node.domain !== 'ai.onnx') return node;
    switch (node.opType) {
      case 'Pad': {
        const pads = attr(node, 'pads')?.ints ?? [];
        const value = attr(node, 'value')?.f ?? 0;
        return { ...node, inputs: [node.inputs[0]!, constant((n) => int64Tensor(n, [pads.length], pads)), constant((n) => floatTensor(n, [], [value]))], attributes: without(node, 'pads', 'value') };
      }
      case 'Slice': {
        if (from >= 10) return node;
        const starts = attr(node, 'starts')?.ints ?? [];
        const ends = attr(node, 'ends')?.ints ?? [];
        const axes = attr(node, 'axes')?.ints ?? starts.map((_, i) => i);
        // Exporters write INT64_MAX for "to the end", which a JS number rounds past int64: clamp (Slice clamps anyway).
        const ints = (values: number[]): string => constant((n) => int64Tensor(n, [values.length], values.map((v) => Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, v)))));
        return { ...node, inputs: [node.inputs[0]!, ints(starts), ints(ends), ints(axes)], attributes: without(node, 'starts', 'ends', 'axes') };
      }
      case 'Clip': {
        const min = attr(node, 'min')?.f ?? -3.4028234663852886e38;
        const max = attr(node, 'max')?.f ?? 3.4028234663852886e38;
        return { ...node, inputs: [node.inputs[0]!, constant((n) => floatTensor(n, [], [min])), constant((n) => floatTensor(n, [], [max]))], attributes: without(node, 'min', 'max') };
      }
      case 'Upsample': {
        const mode = new TextDecoder().decode(attr(node, 'mode')?.s ?? new TextEncoder().encode('nearest'));
        const scales = attr(node, 'scales')?.floats;
        const scaleInput = scales ? constant((n) => floatTensor(n, [scales.length], scales)) : node.inputs[1]!;
        const roi = constant((n) => floatTensor(n, [0], []));
        // Upsample's sampling: asymmetric coordinates, nearest rounds down.
        const attributes: Attribute[] = [
          { name: 'mode', type: 3, s: new TextEncoder().encode(mode === 'bilinear' ? 'linear' : mode) },
          { name: 'coordinate_transformation_mode', type: 3, s: new TextEncoder().encode('asymmetric') },
          { name: 'nearest_mode', type: 3, s: new TextEncoder().encode('floor') },
        ];
        return { ...node, opType: 'Resize', inputs: [node.inputs[0]!, roi, scaleInput], attributes };
      }
      case 'Resize': {
        // Opset 10's Resize: (X, scales), asymmetric coordinates.
        const roi = constant((n) => floatTensor(n, [0], []));
        const attributes: Attribute[] = [
          ...node.attributes,
          { name: 'coordinate_transformation_mode', type: 3, s: new TextEncoder().encode('asymmetric') },
          { name: 'nearest_mode', type: 3, s: new TextEncoder().encode('floor') },
        ];
        return { ...node, inputs: [node.inputs[0]!, roi, node.inputs[1]!], attributes };
      }
      case 'Dropout':
        return { name: node.name, opType: 'Identity', domain: '', inputs: [node.inputs[0]!], outputs: [node.outputs[0]!], attributes: [] };
      case 'BatchNormalization':
        if (attr(node, 'spatial')?.i === 0) {
          throw new LumenError('unsupported-model', `BatchNormalization node "${node.name || node.outputs[0]}" has spatial = 0 (opset ${from}), which later opsets dropped.`, 'Export the model again with opset 11 or later.');
        }
        return { ...node, attributes: without(node, 'spatial', 'is_test', 'consumed_inputs') };
      default:
        return node;
    }
  });
  const opsets = model.opsets.map((o) => (o.domain === '' || o.domain === 'ai.onnx' ? { ...o, version: minimumOpset } : o));
  return { ...model, irVersion: Math.max(model.irVersion, 6), opsets, graph: { ...model.graph, nodes, initializers: [...model.graph.initializers, ...added] } };
}
