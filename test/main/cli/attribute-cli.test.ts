import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy, parseNpy, toFloat32 } from '../../../src/main/engine/io/npy';
import { ensureBuilt, lumenCli } from '../../helpers/built-app';
import { tempDir } from '../../helpers/tiny-models';

const lumen = lumenCli;

describe('lumen attribute (the CLI contract)', () => {
  const dir = tempDir();
  const env = { LUMEN_CACHE_DIR: join(dir, 'cache') };
  beforeAll(() => ensureBuilt());

  it('--image with --json: the run facts, the .npy with the input shape, and the PNG overlay at the original size', async () => {
    const out = join(dir, 'ig.npy');
    const png = join(dir, 'ig.png');
    const r = lumen(env, 'attribute', '--image', 'resources/samples/coffee.png', '--method', 'integrated-gradients', '--params', '{"steps":8}', '--out', out, '--png', png, '--json');
    expect(r.code, r.stderr).toBe(0);
    const facts = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(facts).toMatchObject({ method: 'integrated-gradients', target: 967, targetLabel: 'espresso', objective: 'logit', executionProvider: 'cpu', dims: [1, 3, 224, 224] });
    expect(facts['params']).toEqual({ objective: 'logit', steps: 8, stepRule: 'gauss-legendre', baseline: 'zeros', blurSigma: 10, seed: 0 });
    for (const key of ['computeMs', 'compileMs', 'loadMs', 'completenessError']) expect(typeof facts[key]).toBe('number');
    const npy = parseNpy(new Uint8Array(readFileSync(out)));
    expect(npy).toMatchObject({ dtype: 'float32', shape: [1, 3, 224, 224] });
    // coffee.png is 600 x 400; the model sees a 224 x 224 centre crop of it.
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 600, 400]);
    expect(facts).toMatchObject({ pngMode: 'overlay', pngSize: [600, 400] });
  });

  it('--png-mode bare writes the map alone at the model input size; an overlay needs --image', async () => {
    const png = join(dir, 'bare.png');
    const r = lumen(env, 'attribute', '--image', 'resources/samples/coffee.png', '--method', 'grad-cam', '--out', join(dir, 'cam.npy'), '--png', png, '--png-mode', 'bare', '--colormap', 'inferno', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ pngMode: 'bare', pngSize: [224, 224] });
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height]).toEqual([224, 224]);
    const refused = lumen(env, 'attribute', '--input', join(dir, 'x.npy'), '--method', 'gradient', '--out', join(dir, 'g.npy'), '--png', png, '--png-mode', 'overlay');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--png-mode overlay needs --image/);
  });

  it('--input X.npy with --target, float64 input accepted; the second run hits the graph cache', async () => {
    const x = new Float64Array(3 * 224 * 224).map((_, i) => Math.sin(i / 100) * 0.5);
    const input = join(dir, 'x.npy');
    writeFileSync(input, encodeNpy({ shape: [1, 3, 224, 224], data: x }));
    const out = join(dir, 'g.npy');
    const first = lumen(env, 'attribute', '--input', input, '--method', 'gradient', '--target', '3', '--out', out, '--json');
    expect(first.code, first.stderr).toBe(0);
    const second = JSON.parse(lumen(env, 'attribute', '--input', input, '--method', 'gradient', '--target', '3', '--out', out, '--json', '--repeat', '3').stdout) as {
      target: number;
      graphSource: string[];
      computeRunsMs: number[];
    };
    expect(second.target).toBe(3);
    expect(second.graphSource).toEqual(['disk']);
    expect(second.computeRunsMs).toHaveLength(3);
    expect(toFloat32(parseNpy(new Uint8Array(readFileSync(out)))).some((v) => v !== 0)).toBe(true);
  });

  it.each([
    [['attribute', '--image', 'x.png', '--out', 'a.npy'], /method: is required/],
    [['attribute', '--method', 'gradient', '--out', 'a.npy'], /give exactly one of --input X.npy and --image FILE/],
    [['attribute', '--image', 'x.png', '--method', 'gradient', '--out', 'a.txt'], /out: must end in \.npy/],
    [['attribute', '--image', 'x.png', '--method', 'gradient', '--out', 'a.npy', '--params', '[1,2]'], /params: must be a JSON object/],
    [['attribute', '--image', 'x.png', '--method', 'gradient', '--out', 'a.npy', '--params', '{"bogus":1}'], /^error: Invalid arguments: --params: for gradient, unrecognized key: "bogus" \(see `lumen methods` for its parameters\)\. See `lumen attribute --help`\.\n$/],
    [['attribute', '--image', 'x.png', '--method', 'gradient', '--out', 'a.npy', '--target', '-1'], /^error: Invalid arguments: --target: must be at least 0, not "-1"\. See `lumen attribute --help`\.\n$/],
  ])('usage errors: %j', (args, message) => {
    const r = lumen(env, ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('an input of the wrong shape and an unknown method are clear errors', () => {
    const input = join(dir, 'small.npy');
    writeFileSync(input, encodeNpy({ shape: [1, 3, 8, 8], data: new Float32Array(192) }));
    const shape = lumen(env, 'attribute', '--input', input, '--method', 'gradient', '--out', join(dir, 'a.npy'));
    expect(shape.code).toBe(1);
    expect(shape.stderr).toMatch(/shape \[1, 3, 8, 8\]; the model expects \[1, 3, 224, 224\]/);
    const unknown = lumen(env, 'attribute', '--input', input, '--method', 'telepathy', '--out', join(dir, 'a.npy'), '--json');
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ error: { code: 'invalid-argument', message: 'Invalid arguments: --method: "telepathy" is not a method Lumen knows (see `lumen methods`).' } });
  });

  it('xrai: --json carries the ranked regions, and areaThreshold writes the binary mask of the top regions', () => {
    const heat = join(dir, 'xrai.npy');
    const mask = join(dir, 'xrai-mask.npy');
    const r = lumen(env, 'attribute', '--image', 'resources/samples/coffee.png', '--method', 'xrai', '--params', '{"steps":4}', '--out', heat, '--json');
    expect(r.code, r.stderr).toBe(0);
    const facts = JSON.parse(r.stdout) as { regions: Array<{ rank: number; gain: number; area: number; cumulativeArea: number }>; dims: number[] };
    expect(facts.dims).toEqual([1, 1, 224, 224]);
    expect(facts.regions.length).toBeGreaterThan(10);
    expect(facts.regions[0]).toMatchObject({ rank: 1 });
    expect(facts.regions.at(-1)!.cumulativeArea).toBeCloseTo(1, 10);
    const m = lumen(env, 'attribute', '--image', 'resources/samples/coffee.png', '--method', 'xrai', '--params', '{"steps":4,"areaThreshold":0.1}', '--out', mask, '--json');
    expect(m.code, m.stderr).toBe(0);
    const values = toFloat32(parseNpy(new Uint8Array(readFileSync(mask))));
    expect(new Set(values)).toEqual(new Set([0, 1]));
    // Whole regions in rank order until 10% is reached: the first region whose cumulative area reaches it.
    const reached = facts.regions.find((region) => region.cumulativeArea >= 0.1)!;
    expect(values.reduce((a, b) => a + b, 0) / values.length).toBeCloseTo(reached.cumulativeArea, 10);
  });

  it('lumen methods lists every method with its parameters', () => {
    const r = lumen(env, 'methods');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^integrated-gradients {2}\(path, pixel\)/m);
    expect(r.stdout).toMatch(/stepRule: riemann-left \| riemann-right \| riemann-middle \| riemann-trapezoid \| gauss-legendre \| linspace = "gauss-legendre"/);
  });
});
