import type { Handlers } from '../../../shared/contract/dispatcher';
import { annotationHandlers } from './annotations';
import { attributionHandlers } from './attribution';
import { auditHandlers } from './audits';
import { datasetHandlers } from './datasets';
import type { EngineServices } from './engine-services';
import { evaluationHandlers } from './evaluation';
import { explanationHandlers } from './explanations';
import { imageHandlers } from './images';
import { modelHandlers } from './models';
import { projectHandlers } from './projects';
import { reportHandlers } from './reports';
import { settingsHandlers } from './settings';

/**
 * Every request the contract defines, answered by one module per domain. The type makes it
 * exhaustive: a request without a handler does not compile.
 */
export function engineHandlers(engine: EngineServices): Handlers {
  return {
    ...settingsHandlers(engine),
    ...modelHandlers(engine),
    ...imageHandlers(engine),
    ...attributionHandlers(engine),
    ...evaluationHandlers(engine),
    ...projectHandlers(engine),
    ...datasetHandlers(engine),
    ...annotationHandlers(engine),
    ...explanationHandlers(engine),
    ...auditHandlers(engine),
    ...reportHandlers(engine),
  };
}
