import type { Handlers } from '../../../shared/contract/dispatcher';
import { isDemoProject, openDemoProject } from '../project/demo-project';
import { openProject } from '../project/open-project';
import { projectSummary } from '../project/project-summary';
import { recentProjects, recordRecentProject } from '../project/recent-projects';
import type { EngineServices } from './engine-services';

type ProjectHandlers = Pick<Handlers, 'projects.recent' | 'projects.open' | 'projects.demo'>;

/** Opening or creating a project, the demo project, and the list of recent ones. */
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
  };
}
