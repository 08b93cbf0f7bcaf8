import { mergeGraphs } from '../autodiff/merge-graphs';
import { decodeModel } from '../onnx/decode';
import { encodeModel } from '../onnx/encode';
import type { StoredGraph } from './graph-cache';

/** Merged graphs by their two halves, as the graph cache hands them out (the same objects while cached). */
const merged = new WeakMap<StoredGraph, WeakMap<StoredGraph, StoredGraph>>();

/**
 * Two compiled graphs of one model as one (see mergeGraphs): one onnxruntime run does the forward
 * pass once and both backward passes; the second graph's taps follow the first's in io.taps,
 * renamed with `prefix`. Merging decodes and encodes the whole model, so each pair is merged once
 * while the cache holds its halves.
 */
export function pairedGraph(first: StoredGraph, second: StoredGraph, prefix: string): StoredGraph {
  const known = merged.get(first)?.get(second);
  if (known) return known;
  const { model, io } = mergeGraphs({ model: decodeModel(first.bytes), io: first.io }, { model: decodeModel(second.bytes), io: second.io }, prefix);
  const graph: StoredGraph = {
    io,
    bytes: encodeModel(model),
    batchable: first.batchable && second.batchable,
    classCount: first.classCount,
    notes: [...new Set([...first.notes, ...second.notes])],
    // Planned as the two graphs side by side: the shared forward leaves this on the safe side.
    activationElements: first.activationElements + second.activationElements,
  };
  const byFirst = merged.get(first) ?? new WeakMap<StoredGraph, StoredGraph>();
  byFirst.set(second, graph);
  merged.set(first, byFirst);
  return graph;
}
