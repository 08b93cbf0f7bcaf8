import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../../src/main/engine/io/npy';
import { ensureBuilt, lumenCli } from '../../helpers/built-app';
import { steepModel } from '../../helpers/steep-model';
import { tempDir, writeModel } from '../../helpers/tiny-models';

describe("lumen attribute prints Integrated Gradients' completeness warning", () => {
  const dir = tempDir();
  const env = { LUMEN_CACHE_DIR: join(dir, 'cache') };
  const input = join(dir, 'ones.npy');
  let model: string;
  beforeAll(() => {
    ensureBuilt();
    model = writeModel(dir, 'steep.onnx', steepModel(), { 'steep.card.json': JSON.stringify({ preprocess: { resize: { mode: 'stretch' }, mean: [0], std: [1], scale: 1 } }) });
    writeFileSync(input, encodeNpy({ shape: [1, 1, 4, 4], data: new Float32Array(16).fill(1) }));
  });

  it('a note with the relative error and the hint for a few steps, none for many', () => {
    const few = lumenCli(env, 'attribute', '--model', model, '--input', input, '--method', 'integrated-gradients', '--params', '{"steps":4,"stepRule":"riemann-left"}', '--out', join(dir, 'few.npy'));
    expect(few.code, few.stderr).toBe(0);
    expect(few.stdout).toMatch(/ {2}note: The attributions miss f\(x\) − f\(baseline\) by [\d.]+ % of it .*use more steps \(4 now; try 16\) or the gauss-legendre step rule\./);
    const many = lumenCli(env, 'attribute', '--model', model, '--input', input, '--method', 'integrated-gradients', '--params', '{"steps":512}', '--out', join(dir, 'many.npy'));
    expect(many.code, many.stderr).toBe(0);
    expect(many.stdout).not.toContain('The attributions miss');
  });
});
