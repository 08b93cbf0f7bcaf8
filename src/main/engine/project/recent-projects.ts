import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { RecentProject } from '../../../shared/contract/project';
import { readJsonState, writeJsonState } from '../json-state';
import { lumenHome } from '../lumen-home';
import { databaseFile } from './project-store';

export const maxRecentProjects = 20;

const RecentFile = z.object({ projects: z.array(RecentProject) });

export function recentProjectsFile(): string {
  return join(lumenHome(), 'recent-projects.json');
}

/**
 * The recently opened projects, most recent first: at most 20, one entry per folder, and only
 * folders that still hold a project. A damaged file counts as an empty list (it is rewritten on
 * the next open), never as an error.
 */
export async function recentProjects(): Promise<RecentProject[]> {
  const read = await readJsonState(recentProjectsFile(), RecentFile);
  const projects = read.state === 'ok' ? read.value.projects : [];
  return tidy(projects);
}

/** Puts a project at the top of the list. */
export async function recordRecentProject(folder: string, openedAt = new Date()): Promise<RecentProject[]> {
  const path = resolve(folder);
  const entry: RecentProject = { path, name: basename(path), openedAt: openedAt.toISOString() };
  const projects = tidy([entry, ...(await recentProjects())]);
  await writeJsonState(recentProjectsFile(), { projects });
  return projects;
}

/** The list as stored is most recent first; later duplicates and vanished projects go. */
function tidy(projects: RecentProject[]): RecentProject[] {
  const seen = new Set<string>();
  const kept: RecentProject[] = [];
  for (const p of projects) {
    const path = resolve(p.path);
    if (seen.has(path) || !existsSync(join(path, databaseFile))) continue;
    seen.add(path);
    kept.push({ ...p, path });
    if (kept.length === maxRecentProjects) break;
  }
  return kept;
}
