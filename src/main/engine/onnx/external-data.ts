import { open } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { LumenError } from '../../../shared/errors';
import type { Graph, Model, Tensor } from './ir';

/** A single protobuf (and so a compiled graph Lumen writes) cannot exceed 2 GiB. */
const maxInlineBytes = 2 ** 31 - 2 ** 24;

/**
 * Reads weights stored outside the .onnx file (data_location EXTERNAL) into the model, so every
 * later step (probing, compiling, onnxruntime) sees one self-contained model. Locations must stay
 * inside the model's folder: an absolute path or ".." in a model file is refused.
 */
export async function loadExternalData(model: Model, baseDir: string): Promise<{ model: Model; loaded: number }> {
  const tensors = externalTensors(model.graph);
  if (tensors.length === 0) return { model, loaded: 0 };
  let total = 0;
  const handles = new Map<string, Awaited<ReturnType<typeof open>>>();
  try {
    for (const t of tensors) {
      const ref = t.external!;
      const location = normalize(ref.location);
      if (!ref.location || isAbsolute(ref.location) || location.split(sep).includes('..')) {
        throw new LumenError('invalid-model', `The weight "${t.name}" points outside the model's folder (${ref.location || 'no location'}).`, 'Keep external data files next to the .onnx file.');
      }
      const path = join(baseDir, location);
      let handle = handles.get(path);
      if (!handle) {
        try {
          handle = await open(path, 'r');
        } catch {
          throw new LumenError('not-found', `The model's external data file "${ref.location}" is missing (looked in ${baseDir}).`, 'Copy the data file(s) saved with the model next to it.');
        }
        handles.set(path, handle);
      }
      const size = ref.length ?? (await handle.stat()).size - ref.offset;
      total += size;
      if (total > maxInlineBytes) {
        throw new LumenError('unsupported-model', 'The model has more than 2 GiB of weights; Lumen handles models up to 2 GiB.', 'Use a smaller model or a quantised/pruned export.');
      }
      const raw = new Uint8Array(size);
      const { bytesRead } = await handle.read(raw, 0, size, ref.offset);
      if (bytesRead !== size) throw new LumenError('invalid-model', `The external data of "${t.name}" is truncated (${bytesRead} of ${size} bytes).`);
      t.raw = raw;
      delete t.external;
    }
  } finally {
    await Promise.all([...handles.values()].map((h) => h.close()));
  }
  return { model, loaded: tensors.length };
}

function externalTensors(graph: Graph): Tensor[] {
  const found: Tensor[] = graph.initializers.filter((t) => t.external);
  for (const node of graph.nodes) {
    for (const a of node.attributes) {
      if (a.t?.external) found.push(a.t);
      for (const g of [a.g, ...(a.graphs ?? [])]) if (g) found.push(...externalTensors(g));
    }
  }
  return found;
}
