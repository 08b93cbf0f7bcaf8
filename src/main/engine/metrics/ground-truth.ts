import type { z } from 'zod';
import { LumenError } from '../../../shared/errors';
import type { GroundTruth, GroundTruthBox } from '../../../shared/contract/evaluation';

type Box = z.output<typeof GroundTruthBox>;

/**
 * Boxes as a mask at the model input size (1 inside any box). Coordinates are pixels of the model
 * input, x1 and y1 exclusive; a box partly outside the image is clipped, one entirely outside or
 * empty is an error, since it would silently make every localisation score zero.
 */
export function boxesToMask(boxes: Box[], height: number, width: number): Uint8Array {
  const mask = new Uint8Array(height * width);
  boxes.forEach((box, i) => {
    const { x0, y0, x1, y1 } = box;
    const name = `Box ${i + 1}${box.label ? ` ("${box.label}")` : ''} [${x0}, ${y0}, ${x1}, ${y1}]`;
    if (![x0, y0, x1, y1].every(Number.isFinite) || x1 <= x0 || y1 <= y0) {
      throw new LumenError('invalid-argument', `${name} is empty or malformed: it needs x0 < x1 and y0 < y1.`, 'Give boxes as {x0, y0, x1, y1} in pixels of the model input, x1 and y1 exclusive.');
    }
    const [cx0, cy0] = [Math.max(0, Math.round(x0)), Math.max(0, Math.round(y0))];
    const [cx1, cy1] = [Math.min(width, Math.round(x1)), Math.min(height, Math.round(y1))];
    if (cx1 <= cx0 || cy1 <= cy0) {
      throw new LumenError('invalid-argument', `${name} lies outside the ${width} x ${height} model input.`, 'Box coordinates are pixels of the model input (after resizing and cropping by the model card).');
    }
    for (let y = cy0; y < cy1; y++) mask.fill(1, y * width + cx0, y * width + cx1);
  });
  return mask;
}

/** A request's ground truth as one mask at the model input size, validated. */
export function groundTruthMask(truth: z.output<typeof GroundTruth>, height: number, width: number): Uint8Array {
  const mask = truth.boxes ? boxesToMask(truth.boxes, height, width) : new Uint8Array(height * width);
  if (truth.mask) {
    if (truth.mask.height !== height || truth.mask.width !== width || truth.mask.data.length !== height * width) {
      throw new LumenError('invalid-argument', `The ground-truth mask is ${truth.mask.width} x ${truth.mask.height} (${truth.mask.data.length} values); it must be ${width} x ${height}, the model input size.`);
    }
    truth.mask.data.forEach((v, i) => v !== 0 && (mask[i] = 1));
  }
  if (!mask.includes(1)) throw new LumenError('invalid-argument', 'The ground-truth mask is empty: no pixel is marked as the object.', 'Mark the object with non-zero values.');
  return mask;
}
