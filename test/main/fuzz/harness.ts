import { appendFileSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { LumenError, type ErrorPayload } from '../../../src/shared/errors';
import { tempDir } from '../../helpers/tiny-models';

/**
 * What every fuzz property shares. A CI run is short (the whole folder in well under 40 s) and
 * always the same cases; `LUMEN_FUZZ_RUNS=N` runs N new cases per property instead
 * (scripts/fuzz.mjs), `LUMEN_FUZZ_SEED` replays a run, and `LUMEN_FUZZ_REPORT` names a file that receives one JSON line per property
 * (how many cases ran, whether and how it failed) for the script to sum up.
 */

/** Cases per property: the CI budget, or LUMEN_FUZZ_RUNS. */
export function fuzzRuns(ciRuns: number): number {
  const asked = Number(process.env['LUMEN_FUZZ_RUNS']);
  return Number.isInteger(asked) && asked > 0 ? asked : ciRuns;
}

/** A vitest timeout that fits the cases at `msPerCase` each, with room for start-up. */
export function fuzzTimeout(ciRuns: number, msPerCase: number): number {
  return 30_000 + fuzzRuns(ciRuns) * msPerCase;
}

/**
 * Runs a property for its budget, records the outcome for the long-run script, and fails the
 * test with fast-check's report (the shrunk counterexample and the seed to replay it).
 */
/** How the cases of the property now running ended: worked, or refused with which error code. */
let outcomes: Record<string, number> = {};
/** The first message of each kind of refusal, for the long run's summary. */
let samples: Record<string, string> = {};

/** Counts a case that worked (the file was used) for the run's summary. */
export function worked(): void {
  outcomes['worked'] = (outcomes['worked'] ?? 0) + 1;
}

export async function runFuzz<Ts extends [unknown, ...unknown[]]>(name: string, ciRuns: number, property: fc.IRawProperty<Ts, boolean>): Promise<void> {
  // CI replays the same cases every time (seed 17), so a test run never fails by chance on a
  // finding already reported; long runs (LUMEN_FUZZ_RUNS) draw new cases unless given a seed.
  const seedText = process.env['LUMEN_FUZZ_SEED'] ?? (process.env['LUMEN_FUZZ_RUNS'] ? undefined : '17');
  const params: fc.Parameters<Ts> = { numRuns: fuzzRuns(ciRuns), ...(seedText ? { seed: Number(seedText) } : {}) };
  outcomes = {};
  samples = {};
  const details = await fc.check(property as fc.IRawProperty<Ts, true>, params);
  const failure = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance ?? '');
  const message = details.failed ? `${failure}\n${fc.defaultReportMessage(details) ?? ''}` : null;
  const report = process.env['LUMEN_FUZZ_REPORT'];
  if (report) {
    appendFileSync(report, `${JSON.stringify({ name, runs: details.numRuns, outcomes, samples, failed: details.failed, seed: details.seed, message })}\n`);
  }
  expect(details.failed, message ?? '').toBe(false);
}

/** The one acceptable failure: a LumenError that says, in one line, what is wrong (not a bug report). */
export function expectClearFailure(error: unknown, names?: string): ErrorPayload {
  if (!(error instanceof LumenError)) throw new Error(`not a LumenError: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  const payload = error.toPayload();
  outcomes[`refused: ${payload.code}`] = (outcomes[`refused: ${payload.code}`] ?? 0) + 1;
  samples[payload.code] ??= error.describe();
  const line = error.describe();
  if (payload.code === 'internal' || /This is a bug in Lumen/.test(line)) throw new Error(`an internal error: ${line}`);
  if (/\n/.test(line)) throw new Error(`more than one line: ${JSON.stringify(line)}`);
  if (names !== undefined && !line.includes(names)) throw new Error(`does not name ${names}: ${line}`);
  return payload;
}

/** A promise that must settle within `ms`: a hang is a finding, not a stuck test. */
export async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every file and folder under `dir` with its size and modification time, `skip` folders left out. */
function tree(dir: string, skip: (path: string) => boolean): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (skip(path)) continue;
      if (entry.isDirectory()) {
        out.set(relative(dir, path), 'dir');
        walk(path);
      } else {
        const s = statSync(path);
        out.set(relative(dir, path), `${s.size}@${s.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out;
}

/**
 * A folder for one fuzz property: each case works in its own `case-N` folder inside it, next to
 * decoy files an escaping path would land on or overwrite, and what `prepare` puts there (the
 * inputs cases share). `checkOutside` fails when anything
 * outside the case folders appeared, changed or vanished.
 */
export function sandbox(prepare: (root: string) => void = () => undefined): { root: string; caseFolder: () => string; checkOutside: () => void } {
  const root = tempDir('lumen-fuzz-');
  mkdirSync(join(root, 'outside'));
  writeFileSync(join(root, 'outside', 'x.png'), 'decoy');
  writeFileSync(join(root, 'project.db'), 'decoy');
  prepare(root);
  const isCase = (path: string): boolean => /^case-\d+$/.test(relative(root, path));
  const before = tree(root, isCase);
  let n = 0;
  return {
    root,
    caseFolder: () => {
      const folder = join(root, `case-${n++}`);
      mkdirSync(folder);
      return folder;
    },
    checkOutside: () => {
      const after = tree(root, isCase);
      const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
      if (changed.length > 0) throw new Error(`wrote outside its folder: ${changed.join(', ')}`);
    },
  };
}

/** One way to damage a file: flip, overwrite, cut, insert, delete or repeat bytes. */
type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'repeat'; at: number; length: number };

// Unbiased: fast-check's doubles favour 0 and the ends, which would damage mostly the first byte.
const position = fc.noBias(fc.integer({ min: 0, max: 9999 }).map((n) => n / 10_000));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: position, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: position, value: fc.constantFrom(0, 0xff, 0x7f, 0x80, 0x01, 0xfe) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('insert' as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('repeat' as const), at: position, length: fc.integer({ min: 1, max: 256 }) }),
);

function applyMutation(bytes: Uint8Array, m: Mutation): Uint8Array {
  const at = Math.floor(m.at * (bytes.length + 1));
  switch (m.kind) {
    case 'flip': {
      if (bytes.length === 0) return bytes;
      const out = bytes.slice();
      const i = Math.min(at, out.length - 1);
      out[i] = out[i]! ^ (1 << m.bit);
      return out;
    }
    case 'set': {
      if (bytes.length === 0) return bytes;
      const out = bytes.slice();
      out[Math.min(at, out.length - 1)] = m.value;
      return out;
    }
    case 'truncate':
      return bytes.slice(0, at);
    case 'insert':
      return concat(bytes.subarray(0, at), m.bytes, bytes.subarray(at));
    case 'delete':
      return concat(bytes.subarray(0, at), bytes.subarray(at + m.length));
    case 'repeat':
      return concat(bytes.subarray(0, at + m.length), bytes.subarray(at));
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** One of the seed files, damaged by one to `maxMutations` mutations; `label` says which seed. */
export function mutatedBytes(seeds: ReadonlyArray<{ label: string; bytes: Uint8Array }>, maxMutations = 4): fc.Arbitrary<{ label: string; bytes: Uint8Array }> {
  return fc
    .tuple(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: maxMutations }))
    .map(([i, mutations]) => ({
      label: seeds[i]!.label,
      bytes: mutations.reduce(applyMutation, seeds[i]!.bytes),
      // A counterexample prints as the seed and its damage, not as megabytes of numbers.
      [fc.toStringMethod]: () => `${seeds[i]!.label} damaged by ${JSON.stringify(mutations, (_, v: unknown) => (v instanceof Uint8Array ? Array.from(v) : v))}`,
    }));
}

/** A text seed with its characters (not bytes) damaged: for CSV, JSON and XML, which are read as text. */
export function mutatedText(seeds: readonly string[], pieces: fc.Arbitrary<string>, maxMutations = 4): fc.Arbitrary<string> {
  const edit = fc.record({ at: position, cut: fc.integer({ min: 0, max: 12 }), insert: fc.oneof(pieces, fc.string({ maxLength: 6 })) });
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: maxMutations }))
    .map(([seed, edits]) =>
      edits.reduce((text, e) => {
        const at = Math.floor(e.at * (text.length + 1));
        return text.slice(0, at) + e.insert + text.slice(at + e.cut);
      }, seed),
    );
}
