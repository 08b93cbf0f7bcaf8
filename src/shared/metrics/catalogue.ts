import { z } from 'zod';
import { DeletionInsertionParams, FaithfulnessCorrelationParams, SensitivityNParams } from './metric-params';

export const MetricCategory = z.enum(['faithfulness', 'localisation', 'complexity', 'randomisation', 'robustness', 'axiomatic']);

export interface MetricEntry {
  id: string;
  category: z.infer<typeof MetricCategory>;
  label: string;
  summary: string;
  /** Whether a higher score means a better explanation. */
  higherIsBetter: boolean;
  /** Ground truth (boxes or a mask) is required. */
  needsGroundTruth: boolean;
  reference: string;
  params: z.ZodType;
}

/** Every evaluation metric Lumen computes. Only implemented metrics are listed. */
export const metricCatalogue = [
  { id: 'deletion', category: 'faithfulness', label: 'Deletion', summary: 'The class score as the most important pixels are removed first; the area under the curve (lower is better).', higherIsBetter: false, needsGroundTruth: false, reference: 'Petsiuk et al. 2018', params: DeletionInsertionParams },
  { id: 'insertion', category: 'faithfulness', label: 'Insertion', summary: 'The class score as the most important pixels are put back first into a blurred image; the area under the curve (higher is better).', higherIsBetter: true, needsGroundTruth: false, reference: 'Petsiuk et al. 2018', params: DeletionInsertionParams },
  { id: 'faithfulness-correlation', category: 'faithfulness', label: 'Faithfulness correlation', summary: 'Pearson correlation between the attribution of random pixel subsets and the score drop when they are removed.', higherIsBetter: true, needsGroundTruth: false, reference: 'Bhatt et al. 2020; Quantus', params: FaithfulnessCorrelationParams },
  { id: 'sensitivity-n', category: 'faithfulness', label: 'Sensitivity-n', summary: 'For subsets of n pixels, from a few to most of the image: the correlation between their attribution and the score drop when they are removed; the mean over n.', higherIsBetter: true, needsGroundTruth: false, reference: 'Ancona et al. 2018', params: SensitivityNParams },
] as const satisfies readonly MetricEntry[];

export type MetricId = (typeof metricCatalogue)[number]['id'];
export const metricIds = metricCatalogue.map((m) => m.id) as [MetricId, ...MetricId[]];

export function metricEntry(id: string): MetricEntry | undefined {
  return metricCatalogue.find((m) => m.id === id);
}
