import type { Handlers } from '../../../shared/contract/dispatcher';
import { annotationAuthor, annotationsFor, deleteAnnotation, saveAnnotation } from '../project/annotations';
import { withOpenProject } from '../project/open-project';
import { notifyProjectChanged } from '../project/project-changes';
import type { EngineServices } from './engine-services';

type AnnotationHandlers = Pick<Handlers, 'annotations.list' | 'annotations.save' | 'annotations.delete'>;

/** A project image's annotations: listed, saved and deleted. */
export function annotationHandlers(engine: EngineServices): AnnotationHandlers {
  return {
    'annotations.list': async ({ project, dataset, path }) => {
      const damaged: number[] = [];
      const list = await withOpenProject(project, (store) => annotationsFor(store, dataset, path, (note) => damaged.push(note.id)));
      if (damaged.length > 0) {
        engine.emit('notice', { level: 'warning', message: `${damaged.length} annotation(s) of ${path} could not be read (damaged: ${damaged.join(', ')}) and are not shown; the project keeps them as they are.` });
      }
      return list;
    },

    'annotations.save': async (params) => {
      const saved = await withOpenProject(params.project, (store) => saveAnnotation(store, params, annotationAuthor()));
      notifyProjectChanged(engine.emit, { project: params.project, what: 'annotations', dataset: params.dataset });
      return saved;
    },

    'annotations.delete': async ({ project, id }) => {
      const outcome = await withOpenProject(project, (store) => deleteAnnotation(store, id));
      if (outcome.deleted) notifyProjectChanged(engine.emit, { project, what: 'annotations' });
      return outcome;
    },
  };
}
