import type { CardWindow } from '../../../../shared/model-card';
import { windowPresets } from '../../../../shared/windowing/window-presets';
import { applyWindow, type VoiChoice } from '../dicom/apply-window';
import type { DicomFrame } from '../dicom/dicom-types';
import { checkWindowForColourFrame } from './card-window';

/** A frame's unit values (step 1 of the card's preprocessing) held as 16-bit samples, interleaved. */
export interface UnitPixels {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint16Array;
}

/**
 * A decoded DICOM frame as unit values u in [0, 1], kept at 16 bits (steps of 1/65535, far below
 * what any 8-bit display or model input resolves) so that resampling can run in libvips like a
 * 16-bit PNG. The reader's VOI transform does the work (apply-window.ts: the file's window, VOI LUT
 * table or full range, or a given window; MONOCHROME1 turned round so bright means high; colour
 * scaled from its sample range); the card only chooses which window.
 */
export function dicomUnitPixels(frame: DicomFrame, window: CardWindow | undefined, imageName: string): UnitPixels {
  if (frame.channels === 3) checkWindowForColourFrame(window, imageName, frame.facts.photometric);
  return { width: frame.width, height: frame.height, channels: frame.channels, data: applyWindow(frame, voiChoice(window)) };
}

/** The card's window as the reader's VOI choice: a card without one uses the file's, as a viewer would. */
export function voiChoice(window: CardWindow | undefined): VoiChoice {
  if (window === undefined || window.source === 'file') return 'file';
  if (window.source === 'preset') return { ...windowPresets[window.name] };
  return { center: window.center, width: window.width };
}
