/**
 * One measurement of bench/model-load.ts in a fresh process, so that its peak RSS is its own:
 *   lumen  what Lumen's open does before it creates a session: read the file, hash it, decode it,
 *          expand functions, read external data
 *   ort    onnxruntime-node's InferenceSession.create on the same file
 *   both   Lumen's read, then a session from the bytes it read (Lumen's whole open on the CPU)
 * Prints one JSON line: { ms, peakMiB, startMiB } and, for Lumen's read, { readMs, hashMs, decodeMs }.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { readOnnxModel } from '../src/main/engine/onnx/read-model';
import { InferenceSession } from '../src/main/engine/runtime/onnxruntime';

const [mode, path] = process.argv.slice(2) as ['lumen' | 'ort' | 'both', string];
const mib = (bytes: number): number => bytes / 2 ** 20;
const startMiB = mib(process.resourceUsage().maxRSS * 1024);

/** Milliseconds of each step of Lumen's read. */
const phases: Record<string, number> = {};

async function lumenRead(): Promise<Uint8Array> {
  let t = performance.now();
  const lap = (name: string): void => {
    const now = performance.now();
    phases[name] = now - t;
    t = now;
  };
  const file = await readFile(path);
  const bytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  lap('readMs');
  createHash('sha256').update(bytes).digest('hex');
  lap('hashMs');
  const { model } = await readOnnxModel(bytes, basename(path), dirname(path));
  lap('decodeMs');
  if (model.graph.nodes.length === 0) throw new Error('no nodes');
  return bytes;
}

const t0 = performance.now();
if (mode === 'lumen') await lumenRead();
else if (mode === 'ort') await InferenceSession.create(path);
else await InferenceSession.create(await lumenRead());
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, peakMiB: mib(process.resourceUsage().maxRSS * 1024), startMiB, ...phases }));
