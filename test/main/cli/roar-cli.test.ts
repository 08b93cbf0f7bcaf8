import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, lumenCli } from '../../helpers/built-app';
import { tempDir } from '../../helpers/tiny-models';

const lumen = lumenCli;

describe('lumen roar', () => {
  const dir = tempDir();
  const env = { LUMEN_CACHE_DIR: join(dir, 'cache') };
  beforeAll(() => ensureBuilt());

  it('prints the cost estimate first, then the roar-head result on the bundled model', () => {
    const data = join(dir, 'photos');
    for (const [label, files] of [['objects', ['coffee.png', 'rocket.jpg']], ['portraits', ['astronaut.png', 'grace_hopper.png']]] as const) {
      mkdirSync(join(data, label), { recursive: true });
      for (const f of files) copyFileSync(join('resources/samples', f), join(data, label, f));
    }
    const r = lumen(env, 'roar', '--dataset', data, '--method', 'grad-cam', '--fractions', '0.5', '--test-fraction', '0.5', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/ROAR \(head retrained\) on 4 images of 2 classes: 4 attributions, 12 feature passes, 3 head trainings; about/);
    const result = JSON.parse(r.stdout) as { mode: string; classes: string[]; methodAccuracy: number[]; randomAccuracy: number[]; trainImages: number; testImages: number };
    expect(result).toMatchObject({ mode: 'roar-head', classes: ['objects', 'portraits'], trainImages: 2, testImages: 2 });
    expect(result.methodAccuracy).toHaveLength(1);
    expect(result.randomAccuracy).toHaveLength(1);
  });

  it('a bad fraction is a command-line error', () => {
    const r = lumen(env, 'roar', '--dataset', dir, '--method', 'grad-cam', '--fractions', '0.5,2');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/fractions/);
  });
});
