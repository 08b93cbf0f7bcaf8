import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, lumenCli } from '../../helpers/built-app';
import { tempDir } from '../../helpers/tiny-models';

const lumen = (...args: string[]) => lumenCli({}, ...args);

describe('lumen import', () => {
  beforeAll(() => ensureBuilt());

  it('creates a project, imports a folder idempotently, and reports bad CSV rows by line', () => {
    const project = join(tempDir(), 'study');
    const first = lumen('import', '--project', project, '--create', '--dataset', 'samples', '--folder', 'resources/samples', '--json');
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ dataset: 'samples', images: { added: 6, updated: 0, unchanged: 0 }, problems: [] });
    const again = lumen('import', '--project', project, '--dataset', 'samples', '--folder', 'resources/samples');
    expect(again.stdout).toMatch(/images 0 added, 0 updated, 6 unchanged/);
    const csv = join(tempDir(), 'labels.csv');
    writeFileSync(csv, 'coffee.png,cup\nrocket.jpg\n');
    const bad = lumen('import', '--project', project, '--dataset', 'samples', '--csv', csv, '--root', 'resources/samples');
    expect(bad.code).toBe(0);
    expect(bad.stdout).toMatch(/images 0 added, 1 updated, 0 unchanged/);
    expect(bad.stdout).toMatch(/skipped labels\.csv line 2: expected path,label\[,split\] but found 1 field\(s\)/);
  });

  it('a folder that is not a project, and a missing --root, are clear errors', () => {
    expect(lumen('import', '--project', tempDir(), '--dataset', 'x', '--folder', 'resources/samples').stderr).toMatch(/is not a Lumen project/);
    const r = lumen('import', '--project', tempDir(), '--dataset', 'x', '--csv', 'a.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/need --root/);
  });

  it('a source that does not exist, or is the wrong kind, is refused before a project is created', () => {
    const dir = tempDir();
    const cases: Array<[string[], RegExp]> = [
      [['--csv', join(dir, 'none.csv'), '--root', dir], /The CSV file .*none\.csv does not exist\./],
      [['--folder', join(dir, 'no-such-folder')], /The image folder .*no-such-folder does not exist\./],
      [['--coco', dir, '--root', dir], /The COCO file .* is a folder, not a file\./],
      [['--voc', dir, '--root', join(dir, 'gone')], /The image root .*gone does not exist\./],
    ];
    for (const [source, message] of cases) {
      const project = join(dir, 'study');
      const r = lumen('import', '--project', project, '--create', '--dataset', 'x', ...source);
      expect(r.code, r.stdout).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(existsSync(project), `${source.join(' ')} left a project behind`).toBe(false);
    }
  });
});
