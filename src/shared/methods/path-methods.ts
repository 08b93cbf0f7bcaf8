import { z } from 'zod';
import { BaselineParam, BlurSigmaParam, ObjectiveParam, SeedParam } from './common-params';

/** Blur IG, defaults as PAIR saliency (max sigma 50, 100 steps, Gaussian-gradient step 0.01). */
export const BlurIgParams = z
  .object({
    objective: ObjectiveParam,
    maxSigma: z.number().positive().max(1000).default(50).describe('Blur (pixels) of the path’s starting point.'),
    steps: z.number().int().min(2).max(2000).default(100).describe('Number of blur levels on the path.'),
    gradStep: z.number().positive().max(10).default(0.01).describe('Sigma step of the finite difference along the blur path.'),
    sqrt: z.boolean().default(false).describe('Space the blur levels by the square root (PAIR saliency option).'),
  })
  .strict();

/** Guided IG, defaults as PAIR saliency (200 steps, fraction 0.25, max distance 0.02, zero baseline). */
export const GuidedIgParams = z
  .object({
    objective: ObjectiveParam,
    steps: z.number().int().min(2).max(2000).default(200).describe('Number of steps from the baseline to the input.'),
    fraction: z.number().gt(0).lte(1).default(0.25).describe('Fraction of features (those with the smallest gradients) moved at each step.'),
    maxDist: z.number().min(0).max(1).default(0.02).describe('How far (relative L1) the path may leave the straight line; 0 is Integrated Gradients.'),
    baseline: BaselineParam.default('zeros'),
    blurSigma: BlurSigmaParam,
    seed: SeedParam,
  })
  .strict();
