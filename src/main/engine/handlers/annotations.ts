import type { Handlers } from '../../../shared/contract/dispatcher';
import { annotationAuthor, annotationsFor, deleteAnnotation, saveAnnotation } from '../project/annotations';
import { withOpenProject } from '../project/open-project';
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

    'annotations.save': async (params) => withOpenProject(params.project, (store) => saveAnnotation(store, params, annotationAuthor())),

    'annotations.delete': async ({ project, id }) => withOpenProject(project, (store) => deleteAnnotation(store, id)),
  };
}
