import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, lumenCli } from '../../helpers/built-app';
import { tempDir } from '../../helpers/tiny-models';

const lumen = (...args: string[]) => lumenCli({}, ...args);

describe('lumen import --preview and lumen merge, through the contract', () => {
  beforeAll(() => ensureBuilt());

  it('--preview prints the report of the import, bad rows included, and leaves the project as it was', () => {
    const project = join(tempDir(), 'study');
    expect(lumen('import', '--project', project, '--create', '--dataset', 'samples', '--folder', 'resources/samples').code).toBe(0);
    const csv = join(tempDir(), 'labels.csv');
    writeFileSync(csv, 'coffee.png,cup\nrocket.jpg\n');
    const preview = lumen('import', '--project', project, '--dataset', 'samples', '--csv', csv, '--root', 'resources/samples', '--preview');
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout.split('\n').slice(0, 3)).toEqual([
      'Preview: nothing was written to the project.',
      'samples: images 0 added, 1 updated, 0 unchanged; annotations 0 added, 0 unchanged',
      '  skipped labels.csv line 2: expected path,label[,split] but found 1 field(s)',
    ]);
    // Not written: the import itself still has the label to change.
    const imported = JSON.parse(lumen('import', '--project', project, '--dataset', 'samples', '--csv', csv, '--root', 'resources/samples', '--json').stdout) as { images: { updated: number } };
    expect(imported.images.updated).toBe(1);
    // A preview never creates a project.
    const fresh = join(tempDir(), 'fresh');
    expect(lumen('import', '--project', fresh, '--create', '--dataset', 'x', '--folder', 'resources/samples', '--preview').stderr).toMatch(/There is no folder/);
  });

  it('--preview with a source and --labels is refused (the labels would be previewed against images not imported)', () => {
    const r = lumen('import', '--project', tempDir(), '--dataset', 'x', '--folder', 'resources/samples', '--labels', 'a.csv', '--preview');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--preview looks at one import/);
  });

  it('lumen merge of a folder that is not a project says so', () => {
    const r = lumen('merge', '--project', tempDir());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not a Lumen project/);
  });
});
