import type { z } from 'zod';
import type { AttributionResult, MethodDescription } from '../../../../shared/contract/attribution';
import type { EvaluationResult, MetricDescription } from '../../../../shared/contract/evaluation';
import type { ExplanationOrigin } from '../../../../shared/explanation-staleness';
import type { ExplainTiming } from './explain-timing';

export type MethodInfo = z.infer<typeof MethodDescription>;
export type MetricInfo = z.infer<typeof MetricDescription>;

/** One attribution computed for the open image: what was asked, what came back, its display map. */
export interface Explanation {
  /** method + parameters + target: the same request gives the same key. */
  key: string;
  method: MethodInfo;
  params: Record<string, unknown>;
  target: number;
  result: AttributionResult;
  /** The map reduced to one channel (height x width), what the overlay draws. */
  map: { data: Float32Array; width: number; height: number };
  /** Deletion / insertion (and any other metric) of this map, once measured. */
  evaluation?: EvaluationResult;
  /** What made it (model by content, Lumen version): an explanation kept from before may be stale. */
  origin?: ExplanationOrigin;
  /** Read back from the project: why the method no longer accepts its parameters, if it does not. */
  paramsProblem?: string;
  /** From the click on Explain to the overlay on screen (computed in this session only). */
  timing?: ExplainTiming;
}

export function explanationKey(method: string, params: Record<string, unknown>, target: number): string {
  const sorted = Object.keys(params)
    .sort()
    .map((k) => [k, params[k]]);
  return `${method}|${target}|${JSON.stringify(sorted)}`;
}
