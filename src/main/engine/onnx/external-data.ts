import { open, type FileHandle } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { LumenError } from '../../../shared/errors';
import { confine, realPath } from '../paths/confine';
import { quote } from './quote';
import { dataTypeSize, elementCount, type Graph, type Model, type Tensor } from './ir';

/** A single protobuf (and so a compiled graph Lumen writes) cannot exceed 2 GiB. */
const maxInlineBytes = 2 ** 31 - 2 ** 24;

const keepInside = "Keep the model's external data files in its folder, next to the .onnx file.";

/**
 * Reads weights stored outside the .onnx file (data_location EXTERNAL) into the model, so every
 * later step (probing, compiling, onnxruntime) sees one self-contained model. A location must name
 * a file inside the model's folder once symbolic links are resolved (realpath of both): an
 * absolute path, ".." or a link that leads out is refused, since a model file must not make Lumen
 * read (and hand to whoever sees its weights) any other file. Sizes are checked before anything is
 * allocated: a tensor that declares 2 GiB, or more bytes than its file holds, is an error.
 */
export async function loadExternalData(model: Model, baseDir: string): Promise<{ model: Model; loaded: number }> {
  const tensors = externalTensors(model.graph);
  if (tensors.length === 0) return { model, loaded: 0 };
  const folder = realPath(baseDir);
  const files = new Map<string, { handle: FileHandle; size: number }>();
  let total = 0;
  try {
    for (const t of tensors) {
      const file = await openInside(folder, t, files);
      const size = checkedSize(t, file.size);
      total += size;
      if (total > maxInlineBytes) {
        throw new LumenError('unsupported-model', `The model's external weights add up to more than 2 GiB (at ${quote(t.name)}); Lumen handles models up to 2 GiB.`, 'Use a smaller model or a quantised export.');
      }
      const raw = new Uint8Array(size);
      const { bytesRead } = await file.handle.read(raw, 0, size, t.external!.offset);
      if (bytesRead !== size) throw new LumenError('invalid-model', `The external data of ${quote(t.name)} is truncated (${bytesRead} of ${size} bytes in ${quote(t.external!.location)}).`, 'Copy the data file(s) saved with the model again.');
      t.raw = raw;
      delete t.external;
    }
  } finally {
    await Promise.all([...files.values()].map((f) => f.handle.close()));
  }
  return { model, loaded: tensors.length };
}

/** Opens the tensor's data file, once per file, after checking that it lies inside `folder`. */
async function openInside(folder: string, t: Tensor, files: Map<string, { handle: FileHandle; size: number }>): Promise<{ handle: FileHandle; size: number }> {
  const location = t.external!.location;
  const parts = location.split(/[\\/]/);
  if (!location || isAbsolute(location) || /^[a-zA-Z]:/.test(location) || parts.includes('..')) {
    throw new LumenError('invalid-model', `The weight ${quote(t.name)} points outside the model's folder (${location ? quote(location) : 'no location'}).`, keepInside);
  }
  // The path that is checked (symbolic links resolved) is the path that is opened.
  let real: string | null;
  try {
    real = confine(folder, parts.filter((p) => p !== '' && p !== '.').join('/'));
  } catch (error) {
    throw new LumenError('invalid-model', `The model's external data file ${quote(location)} cannot be resolved (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, keepInside);
  }
  if (real === null) {
    throw new LumenError('invalid-model', `The weight ${quote(t.name)} points outside the model's folder: ${quote(location)} is a link that leads out of it.`, keepInside);
  }
  const already = files.get(real);
  if (already) return already;
  let handle: FileHandle;
  try {
    handle = await open(real, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new LumenError('not-found', `The model's external data file ${quote(location)} is missing (looked in ${folder}).`, 'Copy the data file(s) saved with the model next to it.');
    }
    throw new LumenError('not-found', `The model's external data file ${quote(location)} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, 'Check that the file is readable.');
  }
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw new LumenError('invalid-model', `The model's external data ${quote(location)} is not a file.`, keepInside);
  }
  const file = { handle, size: stat.size };
  files.set(real, file);
  return file;
}

/** How many bytes to read for the tensor: its declared length, checked against its shape and the file. */
function checkedSize(t: Tensor, fileSize: number): number {
  const { location, offset, length } = t.external!;
  const where = `the external data of ${quote(t.name)} (${quote(location)})`;
  if (!Number.isSafeInteger(offset) || offset < 0 || (length !== null && (!Number.isSafeInteger(length) || length < 0))) {
    throw new LumenError('invalid-model', `The offset or length of ${where} is not a byte count.`, 'Re-export the model with its external data.');
  }
  const elementBytes = dataTypeSize(t.dataType);
  const declared = elementBytes > 0 && t.dims.every((d) => Number.isSafeInteger(d) && d >= 0) ? elementCount(t.dims) * elementBytes : null;
  if ((declared ?? 0) > maxInlineBytes || (length ?? 0) > maxInlineBytes) {
    const bytes = Math.max(declared ?? 0, length ?? 0);
    throw new LumenError('unsupported-model', `The weight ${quote(t.name)} declares ${(bytes / 2 ** 30).toFixed(1)} GiB; Lumen handles models up to 2 GiB.`, 'Use a smaller model or a quantised export.');
  }
  const size = length ?? declared ?? fileSize - offset;
  if (offset + size > fileSize) {
    throw new LumenError('invalid-model', `${capitalise(where)} runs past the end of its file (bytes ${offset} to ${offset + size} of ${fileSize}).`, 'Copy the data file(s) saved with the model again, or re-export it.');
  }
  if (declared !== null && size !== declared) {
    throw new LumenError('invalid-model', `${capitalise(where)} holds ${size} bytes, but its shape [${t.dims.join(', ')}] needs ${declared}.`, 'Re-export the model with its external data.');
  }
  return size;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function externalTensors(graph: Graph): Tensor[] {
  const found: Tensor[] = graph.initializers.filter((t) => t.external);
  for (const node of graph.nodes) {
    for (const a of node.attributes) {
      if (a.t?.external) found.push(a.t);
      for (const t of a.tensors ?? []) if (t.external) found.push(t);
      for (const g of [a.g, ...(a.graphs ?? [])]) if (g) found.push(...externalTensors(g));
    }
  }
  return found;
}
