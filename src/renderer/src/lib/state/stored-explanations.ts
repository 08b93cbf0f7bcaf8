import type { z } from 'zod';
import type { AttributionResult } from '../../../../shared/contract/attribution';
import type { SaveExplanationParams, StoredExplanation } from '../../../../shared/contract/explanations';
import type { ModelSummary } from '../../../../shared/contract/model';
import { staleReason } from '../../../../shared/explanation-staleness';
import { lumenVersion } from '../../../../shared/version';
import type { Layout } from '../../../../shared/model-card';
import { explanationKey, type Explanation, type MethodInfo } from './explanation';
import { reduceToMap } from './reduce-map';

/**
 * Between the inspector's explanations and those stored in the project: what to store, how a
 * stored one becomes an explanation again, and whether one kept from before is stale.
 */

/** A project image as the inspector opened it. */
export interface ProjectImage {
  project: string;
  dataset: string;
  path: string;
  frame: number;
}

/** What made an explanation computed now: the open model, this Lumen. */
export function originNow(model: ModelSummary): NonNullable<Explanation['origin']> {
  return { model: { sha256: model.sha256, fileName: model.fileName }, lumenVersion };
}

/** Why an explanation kept from before does not show what the open model and this Lumen would compute; null when it does. */
export function explanationStaleness(e: Explanation, model: ModelSummary | null): string | null {
  if (!e.origin || !model) return null;
  return staleReason(e.origin, { modelSha256: model.sha256, lumenVersion, ...(e.paramsProblem === undefined ? {} : { paramsProblem: e.paramsProblem }) });
}

/** The request that stores an explanation of a project image (the engine's full map and what made it). */
export function saveRequest(image: ProjectImage, e: Explanation, model: ModelSummary): z.input<typeof SaveExplanationParams> {
  const r = e.result;
  return {
    ...image,
    method: e.method.id,
    params: e.params,
    target: e.target,
    targetLabel: r.targetLabel,
    kind: r.kind,
    dims: r.dims,
    data: r.data,
    figures: r.figures,
    notes: r.notes,
    ...(r.regions ? { regions: r.regions } : {}),
    ...(r.segments ? { segments: r.segments } : {}),
    details: { objective: r.objective, params: r.params, timings: r.timings, executionProvider: r.executionProvider, graphSource: r.graphSource, graphRuns: r.graphRuns },
    model: e.origin?.model ?? { sha256: model.sha256, fileName: model.fileName },
  };
}

/**
 * A stored explanation as the inspector shows it. A method the catalogue no longer has keeps its
 * id as its name (the engine already says it is stale).
 */
export function fromStored(stored: StoredExplanation, methods: MethodInfo[], layout: Layout): Explanation {
  const method = methods.find((m) => m.id === stored.method) ?? { id: stored.method, family: '', label: stored.method, summary: '', output: stored.kind, stochastic: false, reference: '', params: {} };
  const d = stored.details;
  const result: AttributionResult = {
    method: stored.method,
    target: stored.target,
    targetLabel: stored.targetLabel,
    objective: d?.objective ?? null,
    params: d?.params ?? stored.params,
    kind: stored.kind,
    dims: stored.dims,
    data: stored.data,
    figures: stored.figures,
    timings: d?.timings ?? { computeMs: 0, computeRunsMs: [], compileMs: 0, preprocessMs: 0 },
    graphSource: d?.graphSource ?? [],
    graphRuns: d?.graphRuns ?? 0,
    executionProvider: d?.executionProvider ?? { requested: 'auto', used: 'cpu' },
    notes: stored.notes,
    ...(stored.regions ? { regions: stored.regions } : {}),
    ...(stored.segments ? { segments: stored.segments } : {}),
  };
  return {
    key: explanationKey(stored.method, stored.params, stored.target),
    method,
    params: stored.params,
    target: stored.target,
    result,
    map: reduceToMap(result, layout),
    origin: { model: stored.model, lumenVersion: stored.lumenVersion },
    ...(stored.paramsProblem === undefined ? {} : { paramsProblem: stored.paramsProblem }),
  };
}
