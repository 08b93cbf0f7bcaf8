import { z } from 'zod';
import { ObjectiveParam } from './common-params';

/** XRAI (Kapishnikov et al. 2019), defaults as PAIR saliency's XRAIParameters. */
export const XraiParams = z
  .object({
    objective: ObjectiveParam,
    base: z
      .string()
      .default('integrated-gradients')
      .describe('The pixel attribution that XRAI ranks regions by: integrated-gradients (PAIR saliency) or any other method id.'),
    baseParams: z.record(z.string(), z.unknown()).default({}).describe("The base method's own parameters (for integrated-gradients, a baseline here replaces XRAI's black and white pair)."),
    steps: z.number().int().min(2).max(4096).default(25).describe('Integrated Gradients base: points on each path (PAIR saliency: 25).'),
    baselines: z
      .enum(['black-white', 'min-max'])
      .default('black-white')
      .describe('Integrated Gradients base: average over a black and a white image (pixel space, through the model card), or over constant tensors at the input’s minimum and maximum value (PAIR saliency’s exact rule).'),
    algorithm: z.enum(['full', 'fast']).default('full').describe('full: re-rank the remaining regions after each pick (greedy gain per area); fast: rank them once.'),
    minPixelDiff: z.number().int().min(0).max(1_000_000).default(50).describe('Skip a region that would add fewer new pixels than this.'),
    dilationRadius: z.number().int().min(0).max(64).default(5).describe('Each segment is dilated by a disk of this radius (pixels) so that regions overlap.'),
    scales: z.array(z.number().positive().max(100_000)).min(1).max(16).default([50, 100, 150, 250, 500, 1200]).describe('Felzenszwalb scales; each gives one segmentation.'),
    sigma: z.number().min(0).max(20).default(0.8).describe('Felzenszwalb: Gaussian smoothing before segmentation.'),
    minSize: z.number().int().min(0).max(100_000).default(150).describe('Felzenszwalb: smallest segment, in pixels of the segmentation image.'),
    segmentationSize: z
      .number()
      .int()
      .min(0)
      .max(4096)
      .default(224)
      .describe('The image is resized to this square size for segmentation (PAIR saliency: 224); 0 segments at the input size.'),
    segments: z
      .string()
      .regex(/\.npy$/i, 'segments must be a .npy file')
      .optional()
      .describe('Your own segmentation instead of Felzenszwalb: a .npy of integer labels, H x W or S x H x W (S segmentations), at the model input size.'),
    areaThreshold: z
      .number()
      .gt(0)
      .lte(1)
      .optional()
      .describe('Return the binary mask of the top regions covering this fraction of the image instead of the heat map (the regions are returned either way).'),
  })
  .strict();
