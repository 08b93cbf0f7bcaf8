import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importFolder } from '../../../src/main/engine/project/dataset-import';
import { ProjectStore } from '../../../src/main/engine/project/project-store';
import { tempDir } from '../../helpers/tiny-models';
import { lumen } from '../../helpers/run-lumen';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');
process.env['LUMEN_CACHE_DIR'] = join(tempDir(), 'cache');

/** The lumen command in this process: exit code and what it printed. */
describe('lumen report and lumen audit --csv never write over a project or an existing file unless --force', () => {
  let project: string;
  let database: Buffer;
  beforeAll(async () => {
    project = join(tempDir(), 'study');
    const store = ProjectStore.open(project, { create: true });
    await importFolder(store, 'samples', 'resources/samples');
    store.close();
    database = readFileSync(join(project, 'project.db'));
  });

  it('lumen report --out P/project.db (or a link to it) is refused and the database is unchanged', async () => {
    const direct = await lumen('report', '--project', project, '--run', '1', '--format', 'html', '--out', join(project, 'project.db'));
    expect(direct.code).toBe(2);
    expect(direct.err).toMatch(/out: does not match --format: give a \.html file for --format html/);
    const outside = tempDir();
    symlinkSync(join(project, 'project.db'), join(outside, 'r.html'));
    const linked = await lumen('report', '--project', project, '--run', '1', '--format', 'html', '--out', join(outside, 'r.html'), '--force');
    expect(linked.code).toBe(1);
    expect(linked.err).toMatch(/^error: .*r\.html is \(through a link\) part of the project .*study \(its database file project\.db\): Lumen never writes an export over a project's own files\.\s+Choose a file outside/);
    expect(readFileSync(join(project, 'project.db')).equals(database)).toBe(true);
  });

  it('an existing report file needs --force', async () => {
    const out = join(tempDir(), 'r.pdf');
    writeFileSync(out, 'an older report');
    const r = await lumen('report', '--project', project, '--run', '1', '--format', 'pdf', '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`error: ${out} already exists; Lumen does not replace a file unless asked.`);
    expect(r.err).toContain('Choose another file name, or allow replacing it (lumen: --force).');
    expect(readFileSync(out, 'utf8')).toBe('an older report');
  });

  it('lumen audit --csv: an existing file is refused before the audit runs, replaced with --force', async () => {
    const csv = join(tempDir(), 'audit.csv');
    writeFileSync(csv, 'keep');
    const refused = await lumen('audit', '--project', project, '--dataset', 'samples', '--method', 'gradient', '--limit', '1', '--csv', csv);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/audit\.csv already exists/);
    expect(readFileSync(csv, 'utf8')).toBe('keep');
    // Refused before any work: no run, no job.
    const store = ProjectStore.open(project);
    expect(store.db.prepare('SELECT count(*) AS n FROM jobs').get()).toMatchObject({ n: 0 });
    store.close();
    const link = join(tempDir(), 'linked.csv');
    symlinkSync(join(project, 'project.db'), link);
    expect((await lumen('audit', '--project', project, '--dataset', 'samples', '--method', 'gradient', '--limit', '1', '--csv', link, '--force')).err).toMatch(/part of the project/);
    const forced = await lumen('audit', '--project', project, '--dataset', 'samples', '--method', 'gradient', '--limit', '1', '--csv', csv, '--force');
    expect(forced.code, forced.err).toBe(0);
    expect(readFileSync(csv, 'utf8')).toMatch(/^path,/);
  }, 120_000);
});
