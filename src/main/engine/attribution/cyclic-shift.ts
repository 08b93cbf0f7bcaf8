import { Attributes, type GraphIndex } from '../onnx/graph-index';
import type { Node } from '../onnx/ir';
import type { Probe } from '../onnx/shape-probe';

/**
 * The data tensor and axis of a cyclic shift along one axis, as torch.roll exports it: a Concat of
 * two Slices of the same tensor along the Concat's axis whose sizes add up to the whole axis
 * (x[s:] then x[:s]). Told from the shapes alone, so the Slice bounds need not be constants.
 */
function rollOf(node: Node, index: GraphIndex, probe: Probe): { data: string; key: string } | undefined {
  if (node.opType !== 'Concat' || node.inputs.length !== 2) return undefined;
  const slices = node.inputs.map((i) => index.producer.get(i)?.node);
  if (!slices.every((s) => s?.opType === 'Slice') || slices[0]!.inputs[0] !== slices[1]!.inputs[0]) return undefined;
  const data = slices[0]!.inputs[0]!;
  const whole = probe.get(data)?.dims;
  const parts = node.inputs.map((i) => probe.get(i)?.dims);
  if (!whole || parts.some((p) => !p || p.length !== whole.length)) return undefined;
  const rank = whole.length;
  const raw = new Attributes(node).int('axis', 0);
  const axis = raw < 0 ? raw + rank : raw;
  const [a, b] = parts as [number[], number[]];
  const sameElsewhere = whole.every((d, k) => k === axis || (a[k] === d && b[k] === d));
  if (!sameElsewhere || a[axis]! + b[axis]! !== whole[axis] || a[axis] === 0 || b[axis] === 0) return undefined;
  return { data, key: `${axis}/${rank}/${whole[axis]}` };
}

/**
 * The tensors that are cyclically shifted against the image: computed after a torch.roll (Swin's
 * shifted windows) and before the roll that undoes it, and the Slices each roll is made of. Their cells are not where the image's are, so
 * a CAM map read from them would be displaced. Each roll toggles its axis (told by position, rank
 * and length), so the inverse roll cancels it; any other operator passes on the shifts of its inputs.
 */
export function cyclicallyShifted(index: GraphIndex, probe: Probe): Set<string> {
  const shifts = new Map<string, Set<string>>();
  // The two Slices a roll is made of are pieces of the map, not the map: never offered either.
  const pieces = new Set<string>();
  for (const node of index.topologicalOrder()) {
    const roll = rollOf(node, index, probe);
    let out: Set<string>;
    if (roll) {
      node.inputs.forEach((i) => pieces.add(i));
      out = new Set(shifts.get(roll.data));
      if (out.has(roll.key)) out.delete(roll.key);
      else out.add(roll.key);
    } else {
      out = new Set(node.inputs.flatMap((i) => [...(shifts.get(i) ?? [])]));
    }
    if (out.size > 0) for (const o of node.outputs) shifts.set(o, out);
  }
  return new Set([...shifts.keys(), ...pieces]);
}
