import { LumenError } from '../../../../shared/errors';
import type { ImageValues } from '../../../../shared/contract/image';
import { decodeDicomFrame } from '../dicom/decode-dicom-frame';
import type { ImageSource } from '../image-source';
import { previewMaxSide } from '../preview';
import { areaDownsample, previewSize } from './area-downsample';

/**
 * A DICOM frame's modality values at the preview's size (the opened frame, or another one), with its windows, photometric
 * interpretation, frame count and pixel spacing: what the inspector windows on the canvas. Only
 * grayscale DICOM has modality values to window; anything else is refused with the reason.
 */
export async function imageValues(source: ImageSource, frame?: number): Promise<ImageValues> {
  if (!source.dicom) {
    throw new LumenError('invalid-argument', `"${source.name}" is a ${source.format.toUpperCase()} image; only DICOM images have modality values to window.`, 'Open a DICOM file to use window/level.');
  }
  // The frame the image was opened with is already decoded; another frame is decoded for display only.
  const opened = source.dicom.frame;
  const decoded = frame === undefined || frame === opened.frame ? opened : await decodeDicomFrame(source.bytes, source.name, frame);
  const { facts } = decoded;
  if (decoded.channels !== 1) {
    throw new LumenError('invalid-argument', `"${source.name}" is a colour DICOM image (${facts.photometric}); window/level applies to grayscale images.`, 'Colour images are shown as they are.');
  }
  const size = previewSize(decoded.width, decoded.height, previewMaxSide);
  const values = size.width === decoded.width && size.height === decoded.height ? decoded.values : areaDownsample(decoded.values, decoded.width, decoded.height, size.width, size.height);
  return {
    ...size,
    values,
    frameWidth: decoded.width,
    frameHeight: decoded.height,
    min: decoded.min,
    max: decoded.max,
    frame: decoded.frame,
    frames: facts.frames,
    photometric: facts.photometric,
    ...(facts.identity.modality ? { modality: facts.identity.modality } : {}),
    windows: facts.windows.map((w) => ({ center: w.center, width: w.width, ...(w.explanation ? { explanation: w.explanation } : {}) })),
    voiLutFunction: facts.voiLutFunction,
    hasVoiLut: facts.windows.length === 0 && (facts.voiLutTables?.length ?? 0) > 0,
    ...(facts.spacing ? { spacing: { ...facts.spacing } } : {}),
  };
}
