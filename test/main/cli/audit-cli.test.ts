import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'libsql';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, lumenCli, repoRoot } from '../../helpers/built-app';
import { tempDir } from '../../helpers/tiny-models';

const lumen = (...args: string[]) => lumenCli({ LUMEN_CACHE_DIR: join(tempDir(), 'cache') }, ...args);

const samples = ['astronaut.png', 'cat_chelsea.png', 'coffee.png', 'grace_hopper.png', 'retina.jpg', 'rocket.jpg'];

/** A project with a dataset of the samples (twice, under two labels), imported through the CLI. */
function project(): { dir: string; data: string } {
  const data = tempDir('lumen-audit-data-');
  for (const [label, prefix] of [['espresso', 'a'], ['rocket', 'b']] as const) {
    mkdirSync(join(data, label));
    for (const s of samples) copyFileSync(join('resources/samples', s), join(data, label, `${prefix}-${s}`));
  }
  const dir = join(tempDir(), 'study');
  const r = lumen('import', '--project', dir, '--create', '--dataset', 'photos', '--folder', data);
  expect(r.code, r.stderr).toBe(0);
  return { dir, data };
}

function committed(dir: string): Array<{ image_id: number; target: number; score: number; metrics: string }> {
  const db = new Database(join(dir, 'project.db'), { readonly: true });
  try {
    return db.prepare('SELECT image_id, target, score, metrics FROM results ORDER BY image_id').all() as Array<{ image_id: number; target: number; score: number; metrics: string }>;
  } finally {
    db.close();
  }
}

describe('lumen audit', () => {
  beforeAll(() => ensureBuilt());

  it('per-class accuracy, flags with reasons and a CSV; a second run resumes and recomputes nothing', () => {
    const { dir } = project();
    const csv = join(tempDir(), 'audit.csv');
    const r = lumen('audit', '--project', dir, '--dataset', 'photos', '--method', 'grad-cam', '--csv', csv, '--json');
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { total: number; computed: number; resumed: number; perClass: Array<{ label: string; images: number; accuracy: number }>; storage: { bytesPerImage: number } };
    expect([result.total, result.computed, result.resumed]).toEqual([12, 12, 0]);
    // The model calls the coffee "espresso" and the rocket "missile": 1 of 6 right in each class.
    expect(result.perClass).toEqual([expect.objectContaining({ label: 'espresso', images: 6, accuracy: 1 / 6 }), expect.objectContaining({ label: 'rocket', images: 6, accuracy: 0 })]);
    expect(result.storage.bytesPerImage).toBeGreaterThan(224 * 224 * 4);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('path,label,predicted,confidence,correct,borderMass,cornerMass,flags');
    expect(lines).toHaveLength(13);
    const again = JSON.parse(lumen('audit', '--project', dir, '--dataset', 'photos', '--method', 'grad-cam', '--json').stdout) as { computed: number; resumed: number };
    expect([again.computed, again.resumed]).toEqual([0, 12]);
    // Read by people: each figure by its name and direction; a diagnostic says why it is there.
    const human = lumen('audit', '--project', dir, '--dataset', 'photos', '--method', 'grad-cam').stdout;
    expect(human).toMatch(/^ {2}Share on the border \(neither: a diagnostic\): [\d.e-]+ \[95% CI [\d.e-]+, [\d.e-]+\] \(n 12; id borderMass\) — Stored by every audit: an image is flagged when more than 50 % lies on the border\.$/m);
    expect(human).not.toMatch(/^ {2}borderMass:/m);
  });

  it('a missing image is reported and the job goes on', () => {
    const { dir, data } = project();
    rmSync(join(data, 'rocket', 'b-rocket.jpg'));
    const r = lumen('audit', '--project', dir, '--dataset', 'photos', '--method', 'grad-cam', '--json');
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { computed: number; failures: Array<{ path: string; error: string }> };
    expect(result.computed).toBe(11);
    expect(result.failures).toEqual([{ path: 'rocket/b-rocket.jpg', error: expect.stringMatching(/no such file|ENOENT/) }]);
  });

  it('survives SIGKILL mid-run: committed results intact, none duplicated, and the rerun completes the job', async () => {
    const { dir } = project();
    const args = ['bin/lumen.mjs', 'audit', '--project', dir, '--dataset', 'photos', '--method', 'integrated-gradients', '--params', '{"steps":16}'];
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: 'ignore' });
    let before: ReturnType<typeof committed> = [];
    for (let t = 0; t < 600 && before.length < 3; t++) {
      await new Promise((r) => setTimeout(r, 100));
      before = committed(dir);
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(before.length).toBeGreaterThanOrEqual(3);
    const atKill = committed(dir);
    expect(atKill.length).toBeLessThan(12);
    // The next process to open the project finds the job interrupted, not running.
    expect(lumen('jobs', '--project', dir).stdout).toMatch(/job 1 \(run 1, integrated-gradients\): paused, \d+\/12 · interrupted/);
    const rerun = lumen(...args.slice(1), '--json');
    expect(rerun.code, rerun.stderr).toBe(0);
    const result = JSON.parse(rerun.stdout) as { total: number; resumed: number; computed: number };
    expect(result.resumed).toBe(atKill.length);
    expect(result.resumed + result.computed).toBe(12);
    const after = committed(dir);
    expect(new Set(after.map((r) => r.image_id)).size).toBe(12);
    expect(after).toHaveLength(12);
    // Every result committed before the kill is exactly as it was.
    for (const row of atKill) expect(after.find((r) => r.image_id === row.image_id)).toEqual(row);
  });

  it('shards: N local processes and a merge give the same results as one process, and merging twice adds nothing', async () => {
    const single = project();
    const sharded = project();
    const audit = (dir: string, extra: string[]) => ['bin/lumen.mjs', 'audit', '--project', dir, '--dataset', 'photos', '--method', 'grad-cam', ...extra];
    expect(lumen(...audit(single.dir, []).slice(1)).code).toBe(0);
    // Three shards at once, as a job array would run them.
    const runs = [1, 2, 3].map(
      (i) =>
        new Promise<number | null>((done) => {
          const child = spawn(process.execPath, audit(sharded.dir, ['--shard', `${i}/3`]), { cwd: repoRoot, stdio: 'ignore' });
          child.once('exit', done);
        }),
    );
    expect(await Promise.all(runs)).toEqual([0, 0, 0]);
    const merged = JSON.parse(lumen('merge', '--project', sharded.dir, '--json').stdout) as { shards: number; added: number; unchanged: number };
    expect(merged).toEqual({ shards: 3, added: 12, unchanged: 0 });
    expect(JSON.parse(lumen('merge', '--project', sharded.dir, '--json').stdout)).toEqual({ shards: 3, added: 0, unchanged: 12 });
    const strip = (rows: ReturnType<typeof committed>) => rows.map(({ image_id, target, score, metrics }) => ({ image_id, target, score, metrics }));
    expect(strip(committed(sharded.dir))).toEqual(strip(committed(single.dir)));
    // The merged project's audit finds every result and computes nothing.
    const after = JSON.parse(lumen(...audit(sharded.dir, ['--json']).slice(1)).stdout) as { computed: number; resumed: number };
    expect([after.computed, after.resumed]).toEqual([0, 12]);
  });
});
