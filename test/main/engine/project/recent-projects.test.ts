import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { maxRecentProjects, recentProjects, recentProjectsFile, recordRecentProject } from '../../../../src/main/engine/project/recent-projects';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { testApi } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/tiny-models';

const home = tempDir('lumen-home-');
process.env['LUMEN_HOME'] = home;

function project(name: string): string {
  const path = join(tempDir(), name);
  ProjectStore.open(path, { create: true }).close();
  return path;
}

describe('recent projects', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  beforeAll(() => ({ api, close } = testApi()));
  afterAll(() => close());
  beforeEach(() => rmSync(recentProjectsFile(), { force: true }));

  it('lives in the home folder; projects.open records a project, most recent first, once per folder', async () => {
    expect(recentProjectsFile()).toBe(join(home, 'recent-projects.json'));
    expect(await api.call('projects.recent', {})).toEqual([]);
    const a = project('alpha');
    const b = project('beta');
    await api.call('projects.open', { path: a });
    await api.call('projects.open', { path: b });
    await api.call('projects.open', { path: join(a, '.') });
    const recent = await api.call('projects.recent', {});
    expect(recent.map((r) => [r.path, r.name])).toEqual([
      [a, 'alpha'],
      [b, 'beta'],
    ]);
    expect(Date.parse(recent[0]!.openedAt)).toBeGreaterThanOrEqual(Date.parse(recent[1]!.openedAt));
    // A failed open records nothing.
    await expect(api.call('projects.open', { path: tempDir() })).rejects.toThrow(/not a Lumen project/);
    expect(await api.call('projects.recent', {})).toHaveLength(2);
  });

  it('keeps at most 20, and drops folders that no longer hold a project', async () => {
    const paths = Array.from({ length: maxRecentProjects + 5 }, (_, k) => project(`p${k}`));
    for (const path of paths) await recordRecentProject(path);
    let recent = await recentProjects();
    expect(recent).toHaveLength(maxRecentProjects);
    expect(recent[0]!.path).toBe(paths.at(-1));
    expect(recent.at(-1)!.path).toBe(paths[5]);
    rmSync(join(paths.at(-1)!, 'project.db'));
    rmSync(paths.at(-2)!, { recursive: true });
    recent = await api.call('projects.recent', {});
    expect(recent).toHaveLength(maxRecentProjects - 2);
    expect(recent[0]!.path).toBe(paths.at(-3));
  });

  it('a damaged file counts as an empty list, and is rewritten by the next open', async () => {
    const a = project('alpha');
    for (const damage of ['{ not json', JSON.stringify({ projects: [{ path: a }] }), JSON.stringify([1, 2]), '']) {
      writeFileSync(recentProjectsFile(), damage);
      expect(await api.call('projects.recent', {})).toEqual([]);
    }
    await api.call('projects.open', { path: a });
    expect(JSON.parse(readFileSync(recentProjectsFile(), 'utf8')).projects).toEqual([{ path: a, name: 'alpha', openedAt: expect.any(String) }]);
    expect((await api.call('projects.recent', {})).map((r) => r.path)).toEqual([a]);
  });

  it('a home folder that cannot be written does not fail the open', async () => {
    const blocked = tempDir();
    writeFileSync(join(blocked, 'home'), 'a file, not a folder');
    process.env['LUMEN_HOME'] = join(blocked, 'home');
    try {
      const a = project('alpha');
      const notices: string[] = [];
      const stop = api.on('notice', (n) => notices.push(n.message));
      expect((await api.call('projects.open', { path: a })).name).toBe('alpha');
      stop();
      expect(notices.join('\n')).toMatch(/recent projects could not be updated/);
    } finally {
      process.env['LUMEN_HOME'] = home;
      mkdirSync(home, { recursive: true });
    }
  });
});
