import { LumenError } from '../../../../shared/errors';
import type { ModelCard } from '../../../../shared/model-card';

/**
 * A card may say which DICOM photometric interpretations its model was trained on (a chest X-ray
 * model trained on MONOCHROME2 exports, say). A DICOM with another one is refused, naming both,
 * instead of feeding the model data it never saw.
 */
export function checkPhotometric(card: ModelCard, photometric: string, imageName: string): void {
  const accepted = card.input.acceptsPhotometric;
  if (accepted === undefined || (accepted as readonly string[]).includes(photometric)) return;
  throw new LumenError(
    'invalid-image',
    `"${imageName}" is a ${photometric} DICOM image; the model card accepts ${accepted.join(', ')} only.`,
    `Use an image with ${accepted.length === 1 ? 'that' : 'one of those'} photometric interpretation${accepted.length === 1 ? '' : 's'}, or add ${photometric} to input.acceptsPhotometric in the model card if the model handles it.`,
    { field: 'input.acceptsPhotometric', photometric, accepted },
  );
}
