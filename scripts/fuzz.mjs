// The long fuzz run: every property under test/main/fuzz with LUMEN_FUZZ_RUNS cases each (CI runs a
// short budget of the same tests). Prints, per property, how many cases ran, how they ended
// (worked, or refused with which error code, with one message of each kind) and every failure with its shrunk counterexample and
// the seed that replays it (LUMEN_FUZZ_SEED=<seed>).
//
//   node scripts/fuzz.mjs [RUNS]          RUNS defaults to $LUMEN_FUZZ_RUNS, else 1000
//   LUMEN_FUZZ_KNOWN=1 node scripts/fuzz.mjs   also the inputs of findings not fixed yet (see the tests)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = process.argv[2] ?? process.env.LUMEN_FUZZ_RUNS ?? '1000';
if (!/^[1-9]\d*$/.test(runs)) {
  console.error(`error: the number of runs must be a whole number above 0, not "${runs}". Usage: node scripts/fuzz.mjs [RUNS]`);
  process.exit(2);
}
const report = join(mkdtempSync(join(tmpdir(), 'lumen-fuzz-report-')), 'report.jsonl');
const started = Date.now();
console.log(`Fuzzing with ${runs} cases per property…`);
const vitest = spawnSync('npx', ['vitest', 'run', '--project', 'node', 'test/main/fuzz', '--testTimeout', String(600_000 + Number(runs) * 3000)], {
  encoding: 'utf8',
  env: { ...process.env, LUMEN_FUZZ_RUNS: runs, LUMEN_FUZZ_REPORT: report },
  maxBuffer: 256 * 1024 * 1024,
});
const seconds = Math.round((Date.now() - started) / 1000);

const results = existsSync(report) ? readFileSync(report, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
let total = 0;
for (const r of results) {
  total += r.runs;
  const ended = Object.entries(r.outcomes ?? {}).map(([how, n]) => `${how} ${n}`).join(', ');
  console.log(`${r.failed ? 'FAIL' : 'ok  '}  ${r.name}: ${r.runs} cases (${ended || 'no outcomes counted'})`);
  for (const [code, line] of Object.entries(r.samples ?? {})) console.log(`        e.g. ${code}: ${line.length > 240 ? `${line.slice(0, 240)}…` : line}`);
}
const failed = results.filter((r) => r.failed);
for (const r of failed) {
  const message = r.message.length > 4000 ? `${r.message.slice(0, 4000)}… (${r.message.length} characters in ${report})` : r.message;
  console.log(`\n${r.name} failed (replay with LUMEN_FUZZ_SEED=${r.seed} LUMEN_FUZZ_RUNS=${r.runs}):\n${message}`);
}
console.log(`\n${total} cases over ${results.length} properties in ${seconds} s; ${failed.length} propert${failed.length === 1 ? 'y' : 'ies'} failed.`);
if (vitest.status !== 0 && failed.length === 0) {
  // A failure outside the properties (a crash of the test process, a timeout): show vitest's own words.
  console.log(`\nvitest exited with ${vitest.status ?? vitest.signal}:\n${(vitest.stdout + vitest.stderr).split('\n').slice(-60).join('\n')}`);
}
process.exit(vitest.status === 0 && failed.length === 0 ? 0 : 1);
