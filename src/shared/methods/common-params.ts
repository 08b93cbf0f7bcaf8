import { z } from 'zod';

/**
 * Parameters shared by many methods. Each carries a description: the workstation renders method
 * forms from these schemas, and the description is the help text under the field.
 */

export const ObjectiveParam = z
  .enum(['logit', 'probability', 'log-probability', 'sigmoid'])
  .default('logit')
  .describe('What is explained: the class logit (pre-softmax score), its softmax probability, its log-probability, or (multi-label models) the finding’s sigmoid probability.');

/**
 * A baseline (the "absence of signal" a path starts from): `zeros` in tensor space (Captum's
 * default), pixel-space presets mapped through the model card (black, white, uniform noise, the
 * input blurred), or a .npy file shaped like the input.
 */
export const BaselineParam = z
  .union([z.enum(['zeros', 'black', 'white', 'uniform-noise', 'blurred']), z.string().regex(/\.npy$/i, 'a baseline file must be a .npy file')])
  .describe('Reference input: zeros (tensor space), black, white, uniform-noise, blurred (pixel space, through the model card), or a .npy file shaped like the input.');

export const SeedParam = z.number().int().min(0).max(2 ** 31 - 1).default(0).describe('Random seed; the same seed gives the same result.');

export const SamplesParam = (fallback: number, max = 10_000) =>
  z.number().int().min(1, 'at least one sample is needed').max(max).default(fallback).describe('Number of random samples averaged.');

export const StepsParam = (fallback: number) =>
  z.number().int().min(2, 'at least 2 steps are needed').max(4096).default(fallback).describe('Number of points on the integration path.');

export const StepRuleParam = z
  .enum(['riemann-left', 'riemann-right', 'riemann-middle', 'riemann-trapezoid', 'gauss-legendre', 'linspace'])
  .default('gauss-legendre')
  .describe("Quadrature of the path integral: Captum's rules (gauss-legendre is Captum's default), or linspace, PAIR saliency's n evenly spaced points from 0 to 1 with equal weights.");

export const BlurSigmaParam = z.number().positive().max(1000).default(10).describe('Standard deviation (pixels) of the Gaussian blur of the "blurred" baseline.');
