import type { Handlers } from '../../../shared/contract/dispatcher';
import { isDemoProject, openDemoProject } from '../project/demo-project';
import { openProject } from '../project/open-project';
import { notifyProjectChanged } from '../project/project-changes';
import { projectSummary } from '../project/project-summary';
import { recentProjects, recordRecentProject } from '../project/recent-projects';
import { mergeShards } from '../project/shards';
import type { EngineServices } from './engine-services';

type ProjectHandlers = Pick<Handlers, 'projects.recent' | 'projects.open' | 'projects.demo' | 'projects.merge'>;

/** Opening or creating a project, the demo project, the list of recent ones, and merging a sharded audit's results. */
export function projectHandlers(engine: EngineServices): ProjectHandlers {
  return {
    'projects.recent': async () => recentProjects(),

    'projects.open': async ({ path, create }) => {
      const store = openProject(path, { create });
      let summary;
      try {
        summary = projectSummary(store, { demo: isDemoProject(store.folder) });
      } finally {
        store.close();
      }
      // The list of recent projects is a convenience: failing to update it does not fail the open.
      await recordRecentProject(summary.path).catch((error: unknown) => {
        engine.emit('notice', { level: 'warning', message: `The list of recent projects could not be updated (${(error as Error).message}).` });
      });
      return summary;
    },

    'projects.demo': async () => {
      const store = await openDemoProject();
      try {
        return projectSummary(store, { demo: true });
      } finally {
        store.close();
      }
    },

    'projects.merge': async ({ project }) => {
      const counts = await mergeShards(project);
      notifyProjectChanged(engine.emit, { project, what: 'audit' });
      return counts;
    },
  };
}
