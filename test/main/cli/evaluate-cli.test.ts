import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../../src/main/engine/io/npy';
import { ensureBuilt, lumenCli } from '../../helpers/built-app';
import { tempDir } from '../../helpers/tiny-models';

const lumen = lumenCli;

describe('lumen evaluate and lumen metrics', () => {
  const dir = tempDir();
  const env = { LUMEN_CACHE_DIR: join(dir, 'cache') };
  beforeAll(() => ensureBuilt());

  it('evaluates a given attribution with several metrics; --json carries curves as data', () => {
    const attribution = join(dir, 'a.npy');
    // A centre blob: the espresso cup is in the middle of the photo.
    const data = Float32Array.from({ length: 224 * 224 }, (_, p) => Math.exp(-(((p % 224) - 112) ** 2 + (Math.floor(p / 224) - 112) ** 2) / 3000));
    writeFileSync(attribution, encodeNpy({ shape: [1, 1, 224, 224], data }));
    const r = lumen(env, 'evaluate', '--image', 'resources/samples/coffee.png', '--method', 'grad-cam', '--attribution', attribution, '--metric', 'deletion,insertion', '--metric-params', '{"deletion":{"stepFraction":0.1},"insertion":{"stepFraction":0.1}}', '--json');
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { targetLabel: string; attributionMs: number; metrics: Array<{ metric: string; score: number; curves: Array<{ x: number[]; y: number[] }>; forwardPasses: number }> };
    expect(result.targetLabel).toBe('espresso');
    expect(result.attributionMs).toBe(0);
    expect(result.metrics.map((m) => m.metric)).toEqual(['deletion', 'insertion']);
    for (const m of result.metrics) {
      expect(m.forwardPasses).toBe(11);
      expect(m.curves[0]!.x).toHaveLength(11);
      expect(m.score).toBeGreaterThan(0);
    }
  });

  it('bad metric input is a usage error (exit 2) found before any work', () => {
    const unknown = lumen(env, 'evaluate', '--image', 'resources/samples/coffee.png', '--method', 'grad-cam', '--metric', 'telepathy', '--json');
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ error: { code: 'invalid-argument', message: 'Invalid arguments: --metric: "telepathy" is not a metric Lumen knows (see `lumen metrics`).' } });
    const stray = lumen(env, 'evaluate', '--image', 'resources/samples/coffee.png', '--method', 'grad-cam', '--metric', 'deletion,insertion', '--metric-params', '{"pointing":{}}');
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/names pointing, which is not among the metrics asked for/);
    const missing = lumen(env, 'evaluate', '--image', 'resources/samples/coffee.png', '--method', 'grad-cam');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--metric/);
  });

  it('--dataset: aggregates with bootstrap intervals, a method ranking, sidecar ground truth, and failures reported, not fatal', async () => {
    const data = join(dir, 'dataset');
    mkdirSync(join(data, 'cups'), { recursive: true });
    copyFileSync('resources/samples/coffee.png', join(data, 'cups', 'coffee.png'));
    copyFileSync('resources/samples/rocket.jpg', join(data, 'rocket.jpg'));
    writeFileSync(join(data, 'broken.png'), 'not an image');
    // Ground truth for the coffee only: the cup in the middle of the 224 x 224 input.
    writeFileSync(join(data, 'cups', 'coffee.boxes.json'), JSON.stringify([{ x0: 40, y0: 60, x1: 190, y1: 200 }]));
    const r = lumen(env, 'evaluate', '--dataset', data, '--method', 'grad-cam,edge-detector', '--metric', 'deletion,pointing-game', '--metric-params', '{"deletion":{"stepFraction":0.25}}', '--json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      images: number;
      summary: Array<{ method: string; metric: string; n: number; mean: number; ciLow: number; ciHigh: number }>;
      ranking: Array<{ method: string; meanRank: number }>;
      failures: Array<{ image: string; method: string; error: string }>;
    };
    expect(report.images).toBe(3);
    const deletion = report.summary.find((s) => s.method === 'grad-cam' && s.metric === 'deletion')!;
    expect(deletion.n).toBe(2);
    expect(deletion.ciLow).toBeLessThanOrEqual(deletion.mean);
    expect(deletion.ciHigh).toBeGreaterThanOrEqual(deletion.mean);
    expect(report.summary.find((s) => s.method === 'grad-cam' && s.metric === 'pointing-game')!.n).toBe(1);
    expect(report.ranking.map((x) => x.method).sort()).toEqual(['edge-detector', 'grad-cam']);
    expect(report.failures.map((f) => f.image)).toEqual(['broken.png', 'broken.png']);
    expect(r.stderr).toMatch(/\[3\/3\] rocket\.jpg/);
  });

  it('several methods on one image: the axioms as a method x axiom table', () => {
    const r = lumen(env, 'evaluate', '--image', 'resources/samples/coffee.png', '--method', 'gradient,gradient-x-input', '--metric', 'axioms');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^method\s+completeness\s+implementationInvariance\s+dummy\s+symmetry/m);
    // The plain gradient is not complete; both are invariant to the inserted BatchNorms and respect dummies.
    expect(r.stdout).toMatch(/^gradient\s+fails \S+\s+holds \S+\s+holds \S+\s+holds/m);
    expect(r.stdout).toMatch(/^gradient-x-input\s+\w+ \S+\s+holds \S+\s+holds/m);
  });

  it('lumen metrics lists every metric with its direction and parameters', () => {
    const r = lumen(env, 'metrics');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^deletion {2}\(faithfulness, lower is better\)/m);
    expect(r.stdout).toMatch(/^ {4}stepFraction: number = 0\.01/m);
  });
});
