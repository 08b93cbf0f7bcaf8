import { z } from 'zod';
import { BaselineParam, BlurSigmaParam, SeedParam } from './common-params';

const PerturbationObjective = (fallback: 'logit' | 'probability') =>
  z
    .enum(['logit', 'probability', 'log-probability'])
    .default(fallback)
    .describe('Which score the perturbations change: the class logit, its softmax probability, or its log-probability.');

/** Occlusion with Captum's semantics (mean output drop over the windows covering each pixel). */
export const OcclusionParams = z
  .object({
    objective: PerturbationObjective('logit'),
    window: z.number().int().min(1).max(4096).default(16).describe('Side of the square occluding window, in input pixels.'),
    stride: z.number().int().min(1).max(4096).default(8).describe('Step between window positions, in input pixels.'),
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
  })
  .strict();
