import type { Handlers } from '../../../shared/contract/dispatcher';
import { describeZodError } from '../../../shared/errors';
import { lumenVersion } from '../../../shared/version';
import { findMethod } from '../methods/registry';
import { deleteExplanation, listExplanations, saveExplanation, withStaleness } from '../project/explanations';
import { withOpenProject } from '../project/open-project';
import { notifyProjectChanged } from '../project/project-changes';
import type { EngineServices } from './engine-services';

type ExplanationHandlers = Pick<Handlers, 'explanations.list' | 'explanations.save' | 'explanations.delete'>;

/**
 * Why the method would not accept these parameters now (the method is gone, or its schema refuses
 * them); undefined when it accepts them. Defaults it fills in are not a problem: the stored
 * parameters are what was asked, and asking them again gives the same map.
 */
export function paramsProblem(method: string, params: Record<string, unknown>): string | undefined {
  const found = findMethod(method);
  if (!found) return `this Lumen has no method "${method}"`;
  const checked = found.schema.safeParse(params);
  return checked.success ? undefined : describeZodError(checked.error);
}

/** Explanations of project images stored in the project: listed (with staleness), saved, deleted. */
export function explanationHandlers(engine: EngineServices): ExplanationHandlers {
  return {
    'explanations.list': async ({ project, dataset, path, frame, modelSha256 }) => {
      const damaged: number[] = [];
      const stored = await withOpenProject(project, (store) => listExplanations(store, { dataset, path, frame }, (id) => damaged.push(id)));
      if (damaged.length > 0) {
        engine.emit('notice', { level: 'warning', message: `${damaged.length} stored explanation(s) of ${path} could not be read (damaged: ${damaged.join(', ')}) and are not shown; the project keeps them as they are.` });
      }
      return { explanations: withStaleness(stored, { modelSha256, lumenVersion }, paramsProblem), damaged };
    },

    'explanations.save': async (params) => {
      const saved = await withOpenProject(params.project, (store) => saveExplanation(store, params, lumenVersion));
      if (saved.id !== null) notifyProjectChanged(engine.emit, { project: params.project, what: 'explanations', dataset: params.dataset });
      return saved;
    },

    'explanations.delete': async (params) => {
      const result = await withOpenProject(params.project, (store) => deleteExplanation(store, params));
      if (result.deleted) notifyProjectChanged(engine.emit, { project: params.project, what: 'explanations', dataset: params.dataset });
      return result;
    },
  };
}
