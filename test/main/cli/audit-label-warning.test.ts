import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, lumenCli } from '../../helpers/built-app';
import { tempDir } from '../../helpers/tiny-models';

const lumen = (...args: string[]) => lumenCli({ LUMEN_CACHE_DIR: join(tempDir(), 'cache') }, ...args);

describe('lumen audit warns when the dataset’s labels are not the model’s', () => {
  beforeAll(() => ensureBuilt());

  it('at the start (stderr) and in the summary (stdout)', () => {
    const data = tempDir('lumen-audit-labels-');
    for (const [label, sample] of [['kaffee', 'coffee.png'], ['rakete', 'rocket.jpg']] as const) {
      mkdirSync(join(data, label));
      copyFileSync(join('resources/samples', sample), join(data, label, sample));
    }
    const dir = join(tempDir(), 'study');
    expect(lumen('import', '--project', dir, '--create', '--dataset', 'photos', '--folder', data).code).toBe(0);
    const r = lumen('audit', '--project', dir, '--dataset', 'photos', '--method', 'gradient');
    expect(r.code, r.stderr).toBe(0);
    const warning = /None of the 2 labels of dataset "photos" is one of the model's 1000 labels \(dataset: "kaffee", "rakete"; model: "tench, Tinca tinca"/;
    const first = r.stderr.split('\n')[0]!;
    expect(first).toMatch(/^warning: /);
    expect(first).toMatch(warning);
    expect(r.stdout).toMatch(new RegExp(`\\n {2}warning: ${warning.source}`));
    expect(r.stdout).toMatch(/kaffee: accuracy 0\.0%/);
  });
});
