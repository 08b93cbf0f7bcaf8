import { z } from 'zod';
import { BaselineParam, BlurSigmaParam, SeedParam } from '../methods/common-params';

/**
 * Parameter schemas of the evaluation metrics. Like the methods', each field carries its help text:
 * the workstation renders metric forms from these schemas.
 */

const MetricObjective = (fallback: 'logit' | 'probability') =>
  z.enum(['logit', 'probability', 'log-probability', 'sigmoid']).default(fallback).describe('Which model score the perturbations are measured on.');

/** How a per-channel attribution becomes one value per pixel before pixels are ranked. */
export const PixelReduction = z
  .enum(['sum', 'abs-sum', 'max-abs'])
  .default('sum')
  .describe('How channels combine into one value per pixel: their sum (signed evidence), the sum of absolute values, or the largest absolute value.');

/** Deletion and insertion (Petsiuk et al. 2018, the causal metrics of the RISE paper). */
export const DeletionInsertionParams = z
  .object({
    objective: MetricObjective('probability'),
    stepFraction: z.number().gt(0).lte(0.5).default(0.01).describe('Fraction of the pixels removed (or inserted) per step; 0.01 gives 101 points on the curve.'),
    reduce: PixelReduction,
    baseline: BaselineParam.optional().describe('What removed pixels become (deletion; default zeros in tensor space as in the RISE code) or where insertion starts from (default: the blurred image).'),
    blurSigma: BlurSigmaParam.default(5).describe('Gaussian blur (pixels) of the blurred image insertion starts from (RISE: sigma 5).'),
    seed: SeedParam,
  })
  .strict();

/** Faithfulness correlation (Bhatt et al. 2020) with Quantus's defaults. */
export const FaithfulnessCorrelationParams = z
  .object({
    objective: MetricObjective('logit'),
    runs: z.number().int().min(2).max(10_000).default(100).describe('Random subsets drawn (Quantus: nr_runs 100).'),
    subsetSize: z.number().int().min(1).max(10_000_000).default(224).describe('Pixels per random subset (Quantus: 224).'),
    reduce: PixelReduction,
    normalise: z.boolean().default(true).describe('Scale positive attributions by their maximum and negative ones by their minimum first (Quantus: normalise_by_negative).'),
    absolute: z.boolean().default(false).describe('Use absolute attributions.'),
    baseline: BaselineParam.default('black').describe('What the chosen pixels become (Quantus: black).'),
    blurSigma: BlurSigmaParam,
    seed: SeedParam,
  })
  .strict();

/** Sensitivity-n (Ancona et al. 2018): faithfulness correlation over a range of subset sizes n. */
export const SensitivityNParams = z
  .object({
    objective: MetricObjective('logit'),
    fractions: z
      .array(z.number().gt(0).lt(1))
      .min(1)
      .max(50)
      .default([0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 0.8])
      .describe('Subset sizes n as fractions of the pixels (the paper goes up to 80%).'),
    samples: z.number().int().min(2).max(10_000).default(50).describe('Random subsets per n.'),
    reduce: PixelReduction,
    baseline: BaselineParam.default('zeros').describe('What the chosen pixels become (the paper: zeros).'),
    blurSigma: BlurSigmaParam,
    seed: SeedParam,
  })
  .strict();

/** How a localisation or complexity metric reads the map: as it is, or its absolute values. */
const MapReading = {
  reduce: PixelReduction,
  absolute: z.boolean().default(false).describe('Use absolute attributions (Quantus’s abs option; its default is off).'),
};

export const ComplexityParams = z.object({ ...MapReading }).strict();

export const PointingGameParams = z
  .object({
    ...MapReading,
    tolerance: z.number().min(0).max(1000).default(0).describe('A maximum within this many pixels of the object still hits (Quantus: 0; Zhang et al.: 15).'),
  })
  .strict();

export const LocalisationParams = z.object({ ...MapReading }).strict();

export const TopKIntersectionParams = z
  .object({ ...MapReading, k: z.number().int().min(1).max(100_000_000).default(1000).describe('Number of top pixels (Quantus: 1000).') })
  .strict();

export const TopFractionIoUParams = z
  .object({
    ...MapReading,
    fraction: z.number().gt(0).lte(1).default(0.1).describe('The top fraction of pixels compared with the object (0.1: the top 10%).'),
    threshold: z
      .number()
      .gt(0)
      .lte(1)
      .optional()
      .describe('Instead of a top fraction, the pixels at or above this fraction of the maximum (the weakly-supervised localisation convention, e.g. 0.2).'),
  })
  .strict();

/** Max-sensitivity (Yeh et al. 2019) with Quantus's defaults. */
export const MaxSensitivityParams = z
  .object({
    samples: z.number().int().min(1).max(10_000).default(200).describe('Perturbed copies of the input, each explained again (Quantus: 200). The cost is this many runs of the method.'),
    radius: z.number().positive().max(100).default(0.2).describe('Uniform noise in [-radius, radius] added to every input value, in tensor units (Quantus: lower_bound 0.2).'),
    seed: SeedParam,
  })
  .strict();

/** Infidelity (Yeh et al. 2019) as defined in the paper (and Captum's infidelity). */
export const InfidelityParams = z
  .object({
    objective: MetricObjective('logit'),
    perturbation: z
      .enum(['gaussian', 'square'])
      .default('gaussian')
      .describe('gaussian: I ~ N(0, noiseStd²) on every value (the paper’s noisy baseline); square: a random square of the image replaced by the baseline (the paper’s square removal).'),
    samples: z.number().int().min(1).max(100_000).default(100).describe('Perturbations drawn.'),
    noiseStd: z.number().positive().max(100).default(0.003).describe('gaussian: standard deviation of the perturbation, in tensor units.'),
    squareSize: z.number().gt(0).lte(1).default(0.25).describe('square: side of the square as a fraction of the image side.'),
    baseline: BaselineParam.default('zeros').describe('square: what the square becomes.'),
    blurSigma: BlurSigmaParam,
    normalize: z.boolean().default(true).describe('Scale the attribution by the factor that minimises the infidelity first (the paper’s normalisation; Captum’s normalize).'),
    seed: SeedParam,
  })
  .strict();

/** Model-parameter randomisation (Adebayo et al. 2018), as Quantus's MPRT. */
export const SanityChecksParams = z
  .object({
    mode: z
      .enum(['cascading', 'independent'])
      .default('cascading')
      .describe('cascading: randomise layers from the top down, more at each step; independent: one layer at a time.'),
    steps: z.number().int().min(1).max(500).default(8).describe('Points on the curve: how many randomised models are explained (each costs one compilation and one run of the method).'),
    reduce: PixelReduction,
    seed: SeedParam.default(42).describe('Seed of the random weights (Quantus: 42).'),
  })
  .strict();

/** The axioms of attribution (Sundararajan et al. 2017), measured. */
export const AxiomsParams = z
  .object({
    tolerance: z.number().positive().max(1).default(0.01).describe('Relative error under which an axiom counts as holding.'),
    seed: SeedParam,
  })
  .strict();

/** ROAD (Rong et al. 2022): removal with noisy linear imputation, most and least relevant first. */
export const RoadParams = z
  .object({
    objective: MetricObjective('probability'),
    fractions: z
      .array(z.number().gt(0).lt(1))
      .min(1)
      .max(99)
      .default([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
      .describe('Fractions of pixels removed (the paper: 10% to 90%; Quantus: 1% to 99% in steps of 2%). Each costs one imputation and one forward pass per order.'),
    noise: z.number().min(0).max(1).default(0.01).describe('Standard deviation of the noise added to imputed values, in tensor units (the paper and Quantus: 0.01).'),
    reduce: PixelReduction,
    seed: SeedParam,
  })
  .strict();

/** Per-feature faithfulness (Melis and Jaakkola 2018; Quantus FaithfulnessEstimate) over square patches. */
export const FaithfulnessEstimateParams = z
  .object({
    objective: MetricObjective('logit'),
    features: z
      .union([z.enum(['patches', 'slic', 'felzenszwalb']), z.string().regex(/\.npy$/i, 'a segment map must be a .npy file')])
      .default('patches')
      .describe('The features removed one at a time (one forward pass each): square patches, SLIC or Felzenszwalb superpixels, or a .npy segment map at the model input size.'),
    patchSize: z.number().int().min(1).max(1024).default(16).describe('patches: side of the square patches (1 = single pixels, as Quantus’s default).'),
    segments: z.number().int().min(2).max(2000).default(50).describe('slic: approximate number of superpixels.'),
    reduce: PixelReduction,
    baseline: BaselineParam.default('black').describe('What a removed patch becomes (Quantus: black).'),
    blurSigma: BlurSigmaParam,
    seed: SeedParam,
  })
  .strict();
