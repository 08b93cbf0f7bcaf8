import { z } from 'zod';
import { ObjectiveParam } from './common-params';
import { describeScaling, xraiDilationDefault, xraiMinPixelDiffDefault, xraiMinSegmentDefault } from './size-scaled-defaults';

/**
 * XRAI (Kapishnikov et al. 2019), defaults as PAIR saliency's XRAIParameters (IG with 100 steps from
 * constant min and max baselines); its pixel sizes scale with the input (size-scaled-defaults.ts).
 */
export const XraiParams = z
  .object({
    objective: ObjectiveParam,
    base: z
      .string()
      .default('integrated-gradients')
      .describe('The pixel attribution that XRAI ranks regions by: integrated-gradients (PAIR saliency) or any other method id.'),
    baseParams: z.record(z.string(), z.unknown()).default({}).describe("The base method's own parameters (for integrated-gradients, a baseline here replaces XRAI's pair of baselines)."),
    steps: z.number().int().min(2).max(4096).default(100).describe("Integrated Gradients base: points on each path, evenly spaced (PAIR saliency's XRAIParameters: steps = 100)."),
    baselines: z
      .enum(['black-white', 'min-max'])
      .default('min-max')
      .describe('Integrated Gradients base: average over two constant tensors at the input’s minimum and maximum value (PAIR saliency’s XRAI default), or over a black and a white image (pixel space, through the model card).'),
    algorithm: z.enum(['full', 'fast']).default('full').describe('full: re-rank the remaining regions after each pick (greedy gain per area); fast: rank them once.'),
    minPixelDiff: z.number().int().min(0).max(1_000_000).optional().describe(`Skip a region that would add fewer new pixels than this. ${describeScaling(xraiMinPixelDiffDefault, 'pixels')}`),
    dilationRadius: z.number().int().min(0).max(64).optional().describe(`Each segment is dilated by a disk of this radius (pixels) so that regions overlap. ${describeScaling(xraiDilationDefault, 'px')}`),
    scales: z.array(z.number().positive().max(100_000)).min(1).max(16).default([50, 100, 150, 250, 500, 1200]).describe('Felzenszwalb scales; each gives one segmentation.'),
    sigma: z.number().min(0).max(20).default(0.8).describe('Felzenszwalb: Gaussian smoothing before segmentation.'),
    minSize: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .optional()
      .describe(
        `Felzenszwalb: smallest segment, in pixels of the segmentation image. ${describeScaling(xraiMinSegmentDefault, 'pixels', { what: 'segmentation image', name: "its side (segmentationSize, or the input's shorter side when segmentationSize is 0)" })}`,
      ),
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
