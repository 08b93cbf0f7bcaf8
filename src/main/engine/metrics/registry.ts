import type { z } from 'zod';
import { deletionMetric, insertionMetric } from './deletion-insertion';
import { faithfulnessCorrelationMetric } from './faithfulness-correlation';
import {
  complexityMetric,
  energyPointingGameMetric,
  pointingGameMetric,
  relevanceMassAccuracyMetric,
  relevanceRankAccuracyMetric,
  sparsenessMetric,
  topFractionIoUMetric,
  topKIntersectionMetric,
} from './map-metrics';
import type { Metric } from './metric';
import { infidelityMetric } from './infidelity';
import { maxSensitivityMetric } from './max-sensitivity';
import { sanityChecksMetric } from './sanity-checks';
import { axiomsMetric } from './axioms';
import { roadMetric } from './road';
import { faithfulnessEstimateMetric } from './faithfulness-estimate';
import { sensitivityNMetric } from './sensitivity-n';

/** The engine's metrics, one per catalogue entry (a test keeps the two in step). */
export const metrics: ReadonlyArray<Metric<z.ZodType>> = [
  deletionMetric,
  insertionMetric,
  faithfulnessCorrelationMetric,
  faithfulnessEstimateMetric,
  sensitivityNMetric,
  pointingGameMetric,
  energyPointingGameMetric,
  topFractionIoUMetric,
  topKIntersectionMetric,
  relevanceMassAccuracyMetric,
  relevanceRankAccuracyMetric,
  sparsenessMetric,
  complexityMetric,
  maxSensitivityMetric,
  infidelityMetric,
  sanityChecksMetric,
  axiomsMetric,
  roadMetric,
] as ReadonlyArray<Metric<z.ZodType>>;

export function findMetric(id: string): Metric<z.ZodType> | undefined {
  return metrics.find((m) => m.id === id);
}
