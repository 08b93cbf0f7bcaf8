import { z } from 'zod';
import {
  AxiomsParams,
  ComplexityParams,
  DeletionInsertionParams,
  FaithfulnessEstimateParams,
  InfidelityParams,
  MaxSensitivityParams,
  FaithfulnessCorrelationParams,
  LocalisationParams,
  PointingGameParams,
  RoadParams,
  SanityChecksParams,
  SensitivityNParams,
  TopFractionIoUParams,
  TopKIntersectionParams,
} from './metric-params';

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
  { id: 'faithfulness-estimate', category: 'faithfulness', label: 'Faithfulness estimate', summary: 'Pearson correlation between each patch’s attribution and the score drop when that patch alone is removed.', higherIsBetter: true, needsGroundTruth: false, reference: 'Alvarez-Melis and Jaakkola 2018; Quantus', params: FaithfulnessEstimateParams },
  { id: 'sensitivity-n', category: 'faithfulness', label: 'Sensitivity-n', summary: 'For subsets of n pixels, from a few to most of the image: the correlation between their attribution and the score drop when they are removed; the mean over n.', higherIsBetter: true, needsGroundTruth: false, reference: 'Ancona et al. 2018', params: SensitivityNParams },
  { id: 'pointing-game', category: 'localisation', label: 'Pointing game', summary: '1 when the map’s maximum lies on the object, 0 when it does not.', higherIsBetter: true, needsGroundTruth: true, reference: 'Zhang et al. 2018; Quantus', params: PointingGameParams },
  { id: 'energy-pointing-game', category: 'localisation', label: 'Energy pointing game', summary: 'The share of the map’s absolute mass that lies on the object.', higherIsBetter: true, needsGroundTruth: true, reference: 'Wang et al. 2020; Kohlbrenner et al. 2020 (Quantus AttributionLocalisation)', params: LocalisationParams },
  { id: 'top-fraction-iou', category: 'localisation', label: 'Top-k% IoU', summary: 'Intersection over union of the top fraction of pixels (or those above a fraction of the maximum) with the object.', higherIsBetter: true, needsGroundTruth: true, reference: 'Lumen; as the localisation IoU of the CAM literature', params: TopFractionIoUParams },
  { id: 'top-k-intersection', category: 'localisation', label: 'Top-k intersection', summary: 'The fraction of the k most relevant pixels that lie on the object.', higherIsBetter: true, needsGroundTruth: true, reference: 'Theiner et al. 2021; Quantus', params: TopKIntersectionParams },
  { id: 'relevance-mass-accuracy', category: 'localisation', label: 'Relevance mass accuracy', summary: 'The share of the total relevance that lies on the object.', higherIsBetter: true, needsGroundTruth: true, reference: 'Arras et al. 2022; Quantus', params: LocalisationParams },
  { id: 'relevance-rank-accuracy', category: 'localisation', label: 'Relevance rank accuracy', summary: 'Of the |object| most relevant pixels, the fraction on the object.', higherIsBetter: true, needsGroundTruth: true, reference: 'Arras et al. 2022; Quantus', params: LocalisationParams },
  { id: 'sparseness', category: 'complexity', label: 'Sparseness', summary: 'The Gini index of the absolute attributions: 1 when one pixel holds everything, 0 when all hold the same.', higherIsBetter: true, needsGroundTruth: false, reference: 'Chalasani et al. 2020; Quantus', params: ComplexityParams },
  { id: 'complexity', category: 'complexity', label: 'Complexity', summary: 'The entropy of the attribution’s distribution over pixels: low for concise explanations.', higherIsBetter: false, needsGroundTruth: false, reference: 'Bhatt et al. 2020; Quantus', params: ComplexityParams },
  { id: 'max-sensitivity', category: 'robustness', label: 'Max-sensitivity', summary: 'The largest relative change of the explanation when the input is perturbed slightly (the method runs again on each copy).', higherIsBetter: false, needsGroundTruth: false, reference: 'Yeh et al. 2019; Quantus', params: MaxSensitivityParams },
  { id: 'infidelity', category: 'faithfulness', label: 'Infidelity', summary: 'The mean squared error between the attribution’s prediction of the score change under random perturbations and the actual change.', higherIsBetter: false, needsGroundTruth: false, reference: 'Yeh et al. 2019; Captum', params: InfidelityParams },
  { id: 'sanity-checks', category: 'randomisation', label: 'Sanity checks (model randomisation)', summary: 'How similar the explanation stays as the model’s weights are randomised, top layer first: a method that explains the model must change (low similarity).', higherIsBetter: false, needsGroundTruth: false, reference: 'Adebayo et al. 2018; Quantus MPRT', params: SanityChecksParams },
  { id: 'axioms', category: 'axiomatic', label: 'Axioms', summary: 'Completeness, implementation invariance (the model rewritten with extra BatchNorms), dummy features and symmetry, each measured and marked as holding or not; the score is the fraction that hold.', higherIsBetter: true, needsGroundTruth: false, reference: 'Sundararajan et al. 2017', params: AxiomsParams },
  { id: 'road', category: 'faithfulness', label: 'ROAD', summary: 'Remove and debias: pixels removed most relevant first (MoRF) and least relevant first (LeRF), filled by noisy linear imputation so that removal leaks no shape; the score is the LeRF area minus the MoRF area.', higherIsBetter: true, needsGroundTruth: false, reference: 'Rong et al. 2022', params: RoadParams },
] as const satisfies readonly MetricEntry[];

export type MetricId = (typeof metricCatalogue)[number]['id'];
export const metricIds = metricCatalogue.map((m) => m.id) as [MetricId, ...MetricId[]];

export function metricEntry(id: string): MetricEntry | undefined {
  return metricCatalogue.find((m) => m.id === id);
}
