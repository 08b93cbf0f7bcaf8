import type { ModelCard } from '../../../../shared/model-card';
import type { GeometryPlan } from '../../../../shared/image-geometry';
import type { DicomFrame } from '../dicom/dicom-types';
import type { Pixels } from '../resample';
import { checkPhotometric } from './check-photometric';
import { dicomUnitPixels } from './dicom-unit-pixels';
import { resampleUnitPixels } from './resample-unit-pixels';

/**
 * A decoded DICOM frame on its way to the model: the card's photometric check, its window (step 1
 * of the card's preprocessing), then the geometry; toTensor does the rest as for any image.
 */
export async function dicomModelPixels(frame: DicomFrame, card: ModelCard, plan: GeometryPlan, imageName: string): Promise<Pixels> {
  checkPhotometric(card, frame.facts.photometric, imageName);
  const unit = dicomUnitPixels(frame, card.preprocess.window, imageName);
  return resampleUnitPixels(unit, plan, card.preprocess.interpolation);
}
