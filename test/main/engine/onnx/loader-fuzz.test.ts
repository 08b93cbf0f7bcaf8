import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LumenError } from '../../../../src/shared/errors';
import { encodeModel } from '../../../../src/main/engine/onnx/encode';
import { readOnnxModel } from '../../../../src/main/engine/onnx/read-model';
import { linearImageModel } from '../../../helpers/image-models';
import { tempDir } from '../../../helpers/tiny-models';

/**
 * Mutated real models (bytes flipped, cut, inserted, overwritten with varint-like runs) either open
 * or fail with a LumenError: never another exception, never a hang. LUMEN_FUZZ_RUNS sets the number
 * of cases (default 500, about 10 s on two busy cores); e.g. LUMEN_FUZZ_RUNS=20000 for a long run.
 */
const runs = Number(process.env['LUMEN_FUZZ_RUNS'] ?? 500);
const fixtures = new URL('../../../fixtures/', import.meta.url);

/** A model whose weight W lives in weights.bin next to it: the external-data path is fuzzed too. */
function externalModel(dir: string): Uint8Array {
  const model = linearImageModel(Array.from({ length: 48 }, (_, i) => Math.cos(i)), [0, 0.5, 1], [1, 4, 4]);
  const w = model.graph.initializers.find((t) => t.name === 'W')!;
  writeFileSync(join(dir, 'weights.bin'), w.raw!);
  delete w.raw;
  w.external = { location: 'weights.bin', offset: 0, length: 48 * 4 };
  return encodeModel(model);
}

const folder = tempDir();
const seeds: Array<[string, Uint8Array]> = [
  ['vit', new Uint8Array(readFileSync(new URL('models/vit/model.onnx', fixtures)))],
  ['densenet', new Uint8Array(readFileSync(new URL('models/densenet/model.onnx', fixtures)))],
  ['functions', new Uint8Array(readFileSync(new URL('onnx-codec/functions.onnx', fixtures)))],
  ['external', externalModel(folder)],
];

type Mutation = { kind: 'flip'; at: number; xor: number } | { kind: 'cut'; at: number } | { kind: 'insert'; at: number; bytes: Uint8Array } | { kind: 'overwrite'; at: number; bytes: Uint8Array };

/** Positions favour the first 4 KiB, where the structure (not the weights) of a model is. */
const position = fc.oneof(fc.nat({ max: 4095 }), fc.nat({ max: 2 ** 20 }));
const varintRun = fc.uint8Array({ minLength: 1, maxLength: 10 }).map((b) => b.map((x, i) => (i < b.length - 1 ? x | 0x80 : x)));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: position, xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: position }),
  fc.record({ kind: fc.constant('insert' as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('overwrite' as const), at: position, bytes: varintRun }),
);

function mutate(bytes: Uint8Array, mutations: Mutation[]): Uint8Array {
  let out = bytes.slice();
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    if (m.kind === 'flip' && out.length > 0) out[at] = out[at]! ^ m.xor;
    else if (m.kind === 'cut') out = out.slice(0, at);
    else if (m.kind === 'insert') out = Uint8Array.from([...out.subarray(0, at), ...m.bytes, ...out.subarray(at)]);
    else if (m.kind === 'overwrite') out.set(m.bytes.subarray(0, out.length - at), at);
  }
  return out;
}

describe('the model loader on mutated real models', () => {
  it(`opens each or says why in a LumenError (${runs} cases)`, async () => {
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }), async ([name, bytes], mutations) => {
        let outcome: string;
        try {
          await readOnnxModel(mutate(bytes, mutations), `${name}.onnx`, folder);
          outcome = 'opened';
        } catch (error) {
          if (!(error instanceof LumenError)) throw error;
          expect(error.describe()).not.toMatch(/\n|bug in Lumen/);
          outcome = error.message.replace(/^\S+\.onnx /, '').split(/[ :(]/).slice(0, 3).join(' ');
        }
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      { numRuns: runs, timeout: 5000, seed: Number(process.env['LUMEN_FUZZ_SEED'] ?? 15) },
    );
    // What the cases did, for the record (the assertion is above).
    console.log(`loader fuzz, ${runs} cases:`, Object.fromEntries([...outcomes].sort((a, b) => b[1] - a[1])));
    expect(outcomes.get('opened')).toBeGreaterThan(0);
  }, Math.max(120_000, runs * 50));
});
