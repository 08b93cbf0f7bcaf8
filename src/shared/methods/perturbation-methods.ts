import { z } from 'zod';
import { BaselineParam, BlurSigmaParam, SeedParam } from './common-params';
import { describeScaling, occlusionStrideDefault, occlusionWindowDefault } from './size-scaled-defaults';

const PerturbationObjective = (fallback: 'logit' | 'probability') =>
  z
    .enum(['logit', 'probability', 'log-probability', 'sigmoid'])
    .default(fallback)
    .describe('Which score the perturbations change: the class logit, its softmax probability, its log-probability, or (multi-label models) the finding’s sigmoid probability.');

const StabilityParam = z
  .number()
  .int()
  .min(1)
  .max(20)
  .default(1)
  .describe('Run with this many seeds (seed, seed + 1, ...) and report the mean map and how well the runs agree (mean pairwise rank correlation).');

/** Occlusion with Captum's semantics (mean output drop over the windows covering each pixel). */
export const OcclusionParams = z
  .object({
    objective: PerturbationObjective('logit'),
    window: z.number().int().min(1).max(4096).optional().describe(`Side of the square occluding window, in input pixels. ${describeScaling(occlusionWindowDefault, 'px')}`),
    stride: z.number().int().min(1).max(4096).optional().describe(`Step between window positions, in input pixels. ${describeScaling(occlusionStrideDefault, 'px')}`),
    baseline: BaselineParam.default('zeros').describe('What replaces the occluded pixels: zeros (tensor space), black, white, uniform-noise, blurred, or a .npy image.'),
    blurSigma: BlurSigmaParam,
    seed: SeedParam,
  })
  .strict();

/** RISE (Petsiuk et al. 2018): random masks on a coarse grid, upsampled with random shifts. */
export const RiseParams = z
  .object({
    objective: PerturbationObjective('probability'),
    masks: z.number().int().min(1).max(100_000).default(4000).describe('Number of random masks (Xplique: 4000; the paper: 8000).'),
    cells: z.number().int().min(2).max(256).default(7).describe('Mask grid resolution: cells x cells before upsampling.'),
    probability: z.number().gt(0).lt(1).default(0.5).describe('Probability that a grid cell keeps the image.'),
    baseline: BaselineParam.default('zeros').describe('What the masked-out pixels become.'),
    blurSigma: BlurSigmaParam,
    seed: SeedParam,
    stability: StabilityParam,
  })
  .strict();

/** How an image is cut into segments (LIME, KernelSHAP, exact Shapley). */
const SegmentationParams = {
  segmentation: z
    .union([z.enum(['slic', 'felzenszwalb']), z.string().regex(/\.npy$/i, 'a segment map must be a .npy file')])
    .default('slic')
    .describe('slic, felzenszwalb, or a .npy map of integer segment labels (H x W) at the model input size.'),
  segments: z.number().int().min(2).max(2000).default(50).describe('SLIC: approximate number of segments.'),
  compactness: z.number().positive().max(1000).default(10).describe('SLIC: balance of colour and space (higher: squarer segments).'),
  scale: z.number().positive().max(100_000).default(100).describe('Felzenszwalb: larger values give larger segments.'),
  minSize: z.number().int().min(0).max(100_000).default(50).describe('Felzenszwalb: smallest segment, in pixels.'),
};

/** LIME for images (Ribeiro et al. 2016), defaults as lime_image except the segmentation (SLIC, not quickshift). */
export const LimeParams = z
  .object({
    objective: PerturbationObjective('probability'),
    samples: z.number().int().min(1, 'at least one sample is needed').max(100_000).default(1000).describe('Number of perturbed images.'),
    hide: z
      .union([z.enum(['mean', 'zeros', 'black', 'white', 'blurred']), z.string().regex(/\.npy$/i)])
      .default('mean')
      .describe('What replaces switched-off segments: their mean colour (lime_image), zeros, black, white, blurred, or a .npy image.'),
    kernelWidth: z.number().positive().max(100).default(0.25).describe('Width of the exponential kernel on the cosine distance.'),
    features: z.number().int().min(1).max(100_000).default(100_000).describe('How many segments the explanation keeps.'),
    featureSelection: z.enum(['auto', 'forward-selection', 'highest-weights', 'lasso-path', 'none']).default('auto').describe('How those segments are chosen (LIME’s options).'),
    ...SegmentationParams,
    blurSigma: BlurSigmaParam,
    seed: SeedParam,
    stability: StabilityParam,
  })
  .strict();

/** KernelSHAP (Lundberg and Lee 2017) over image segments. */
export const KernelShapParams = z
  .object({
    objective: PerturbationObjective('logit'),
    samples: z.number().int().min(1, 'at least one sample is needed').max(100_000).default(2048).describe('Number of coalitions evaluated (shap: 2 M + 2048).'),
    background: z
      .union([z.enum(['zeros', 'black', 'white', 'blurred', 'mean']), z.string().regex(/\.npy$/i)])
      .default('blurred')
      .describe('What absent segments become: zeros, black, white, blurred (shap’s image masker), mean colour, or a .npy image such as a dataset mean.'),
    ...SegmentationParams,
    blurSigma: BlurSigmaParam,
    seed: SeedParam,
    stability: StabilityParam,
  })
  .strict();

/** Exact Shapley values over at most 14 segments: every coalition, evaluated once. */
export const ShapleyExactParams = z
  .object({
    objective: PerturbationObjective('logit'),
    background: KernelShapParams.shape.background,
    ...SegmentationParams,
    segments: z.number().int().min(2).max(14).default(12).describe('SLIC: approximate number of segments (at most 14 are allowed).'),
    blurSigma: BlurSigmaParam,
    seed: SeedParam,
  })
  .strict();
