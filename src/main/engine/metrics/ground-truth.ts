import type { z } from 'zod';
import { LumenError } from '../../../shared/errors';
import type { GroundTruth } from '../../../shared/contract/evaluation';
import { boxesToMask, checkMask } from './functions/localisation';

/**
 * A request's ground truth as one mask at the model input size (1 = object): its boxes (in pixels of
 * the model input, clipped to it) and its mask image (non-zero = object) together, validated, so a
 * box outside the image or an empty mask is an error rather than a silent score of zero.
 */
export function groundTruthMask(truth: z.output<typeof GroundTruth>, height: number, width: number): Uint8Array {
  const mask = truth.boxes ? boxesToMask(truth.boxes, height, width) : new Uint8Array(height * width);
  if (truth.mask) {
    if (truth.mask.height !== height || truth.mask.width !== width || truth.mask.data.length !== height * width) {
      throw new LumenError('invalid-argument', `The ground-truth mask is ${truth.mask.width} x ${truth.mask.height} (${truth.mask.data.length} values); it must be ${width} x ${height}, the model input size.`);
    }
    truth.mask.data.forEach((v, i) => v !== 0 && (mask[i] = 1));
  }
  checkMask(mask, height, width);
  return mask;
}
