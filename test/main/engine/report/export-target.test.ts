import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { LumenError } from '../../../../src/shared/errors';
import { checkExportTarget, extensionMatches } from '../../../../src/main/engine/report/export-target';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { testApi } from '../../../helpers/engine';
import { failure } from '../../../helpers/failure';
import { reportProject } from '../../../helpers/report-project';
import { tempDir } from '../../../helpers/tiny-models';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');

/** The LumenError a synchronous check throws. */
function refusal(check: () => unknown): LumenError {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(LumenError);
    return error as LumenError;
  }
  throw new Error('expected a refusal');
}

/** A real project folder (database, log, artifacts) and a folder beside it. */
function projectWithArtifacts(): { project: string; outside: string } {
  const outside = tempDir('lumen-export-');
  const project = join(outside, 'study');
  ProjectStore.open(project, { create: true }).close();
  mkdirSync(join(project, 'artifacts', 'run-1'), { recursive: true });
  writeFileSync(join(project, 'artifacts', 'run-1', '1.npy'), 'map');
  return { project, outside };
}

describe('checkExportTarget: never over a project, never over a file unless asked', () => {
  it('the extension must be the format’s', () => {
    expect(extensionMatches('html', 'a/R.HTML')).toBe(true);
    expect(extensionMatches('html', 'r.htm')).toBe(true);
    expect(extensionMatches('pdf', 'r.pdf')).toBe(true);
    expect(extensionMatches('csv', 'r.csv')).toBe(true);
    expect(extensionMatches('pdf', 'r.html')).toBe(false);
    expect(extensionMatches('html', 'r.db')).toBe(false);
    expect(extensionMatches('csv', 'r')).toBe(false);
    const dir = tempDir();
    const error = refusal(() => checkExportTarget(join(dir, 'r.txt'), { format: 'pdf', overwrite: true }));
    expect(error.message).toBe(`${join(dir, 'r.txt')} does not end in .pdf, the extension of PDF files.`);
    expect(error.hint).toMatch(/e\.g\. report\.pdf/);
  });

  it('a project’s database, log and artifacts are refused even with overwrite, also through a symlink', () => {
    const { project, outside } = projectWithArtifacts();
    for (const name of ['project.db', 'project.db-wal', 'project.db-shm']) {
      const error = refusal(() => checkExportTarget(join(project, name), { format: 'html', overwrite: true }));
      expect(error.message).toMatch(/does not end in \.html/);
    }
    // A report merely named after the database is fine; a link to a damaged copy is not.
    expect(checkExportTarget(join(project, 'project.db.html'), { format: 'html', overwrite: false })).toBe(join(project, 'project.db.html'));
    writeFileSync(join(project, 'project.db.damaged-0123'), 'copy');
    symlinkSync(join(project, 'project.db.damaged-0123'), join(outside, 'copy.html'));
    expect(refusal(() => checkExportTarget(join(outside, 'copy.html'), { format: 'html', overwrite: true })).message).toMatch(/its database file project\.db\.damaged-0123/);
    // A name with the right extension inside the artifacts folder.
    const inArtifacts = refusal(() => checkExportTarget(join(project, 'artifacts', 'run-1', 'r.html'), { format: 'html', overwrite: true }));
    expect(inArtifacts.message).toBe(`${join(project, 'artifacts', 'run-1', 'r.html')} is part of the project ${project} (its artifacts folder): Lumen never writes an export over a project's own files.`);
    // A link with the right extension that leads to the database, or into the artifacts.
    symlinkSync(join(project, 'project.db'), join(outside, 'r.html'));
    const linked = refusal(() => checkExportTarget(join(outside, 'r.html'), { format: 'html', overwrite: true }));
    expect(linked.message).toMatch(/r\.html is \(through a link\) part of the project .*study \(its database file project\.db\)/);
    symlinkSync(join(project, 'artifacts'), join(outside, 'maps'));
    expect(refusal(() => checkExportTarget(join(outside, 'maps', 'x.csv'), { format: 'csv', overwrite: true })).message).toMatch(/its artifacts folder/);
    // A dangling link into the artifacts: the write would create the file there.
    symlinkSync(join(project, 'artifacts', 'new.pdf'), join(outside, 'new.pdf'));
    expect(refusal(() => checkExportTarget(join(outside, 'new.pdf'), { format: 'pdf', overwrite: true })).message).toMatch(/its artifacts folder/);
  });

  it('an existing file only with overwrite; a report next to the database is fine', () => {
    const { project } = projectWithArtifacts();
    const path = join(project, 'report.html');
    expect(checkExportTarget(path, { format: 'html', overwrite: false })).toBe(path);
    writeFileSync(path, 'old');
    const error = refusal(() => checkExportTarget(path, { format: 'html', overwrite: false }));
    expect(error.message).toBe(`${path} already exists; Lumen does not replace a file unless asked.`);
    expect(error.hint).toMatch(/--force/);
    expect(checkExportTarget(path, { format: 'html', overwrite: true })).toBe(path);
    mkdirSync(join(project, 'folder.html'));
    expect(refusal(() => checkExportTarget(join(project, 'folder.html'), { format: 'html', overwrite: true })).message).toMatch(/is a folder/);
  });
});

describe('report.export through the contract: the project’s database survives', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let project: string;
  let modelId: string;
  beforeAll(async () => {
    ({ api, close } = testApi());
    ({ project } = await reportProject());
    modelId = (await api.call('models.open', {})).id;
  }, 120_000);
  afterAll(() => close());
  const spec = () => ({ project, modelId, title: 'T', images: [{ dataset: 'photos', path: 'espresso/a-coffee.png' }], methods: [{ method: 'gradient', params: {} }] });

  it('refuses project.db (and a symlink to it) before any work; the database is unchanged', async () => {
    const before = readFileSync(join(project, 'project.db'));
    const direct = await failure(api.call('report.export', { spec: spec(), format: 'html', out: join(project, 'project.db') }));
    expect(direct.code).toBe('invalid-argument');
    const outside = tempDir();
    symlinkSync(join(project, 'project.db'), join(outside, 'report.html'));
    const linked = await failure(api.call('report.export', { spec: spec(), format: 'html', out: join(outside, 'report.html'), overwrite: true }));
    expect(linked.message).toMatch(/part of the project/);
    expect(readFileSync(join(project, 'project.db')).equals(before)).toBe(true);
    // The project still opens with its dataset.
    const summary = await api.call('projects.open', { path: project });
    expect(summary.datasets.map((d) => d.name)).toEqual(['photos']);
  });

  it('an existing file is replaced only with overwrite: true', async () => {
    const dir = tempDir();
    const out = join(dir, 'r.html');
    writeFileSync(out, 'keep me');
    expect((await failure(api.call('report.export', { spec: spec(), format: 'html', out }))).message).toMatch(/already exists/);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    const written = await api.call('report.export', { spec: spec(), format: 'html', out, overwrite: true });
    expect(written.path).toBe(out);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>/i);
    expect(readdirSync(dir)).toEqual(['r.html']);
  }, 120_000);
});
