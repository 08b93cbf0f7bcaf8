import type { CardWindow } from '../../../../shared/model-card';
import { windowFunction } from '../../../../shared/windowing/voi-window';
import type { DicomFrame } from '../dicom/dicom-types';
import { checkWindowForColourFrame, windowForFrame } from './card-window';

/** A frame's unit values (step 1 of the card's preprocessing) held as 16-bit samples, interleaved. */
export interface UnitPixels {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint16Array;
}

const full = 65535;

/**
 * A decoded DICOM frame as unit values u in [0, 1], kept at 16 bits (steps of 1/65535, far below
 * what any 8-bit display or model input resolves) so that resampling can run in libvips like a
 * 16-bit PNG. Grayscale: the card's window, then 1 - u for MONOCHROME1 (bright means high).
 * Colour: the RGB samples over their bit depth's largest value.
 */
export function dicomUnitPixels(frame: DicomFrame, window: CardWindow | undefined, imageName: string): UnitPixels {
  const { width, height, channels, values } = frame;
  const data = new Uint16Array(values.length);
  if (channels === 3) {
    checkWindowForColourFrame(window, imageName, frame.facts.photometric);
    const scale = full / (frame.facts.bitsAllocated > 8 ? 65535 : 255);
    for (let i = 0; i < values.length; i++) data[i] = Math.round(Math.min(full, Math.max(0, values[i]! * scale)));
    return { width, height, channels, data };
  }
  const f = windowFunction(windowForFrame(window, frame));
  const monochrome1 = frame.facts.photometric === 'MONOCHROME1';
  for (let i = 0; i < values.length; i++) {
    const u = f(values[i]!);
    data[i] = Math.round((monochrome1 ? 1 - u : u) * full);
  }
  return { width, height, channels, data };
}
