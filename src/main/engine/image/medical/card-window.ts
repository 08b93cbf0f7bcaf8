import { LumenError } from '../../../../shared/errors';
import type { CardWindow } from '../../../../shared/model-card';
import { windowPresets } from '../../../../shared/windowing/window-presets';
import { fullRangeWindow, type WindowSpec } from '../../../../shared/windowing/voi-window';
import type { DicomFrame } from '../dicom/dicom-types';

/**
 * The window a card applies to a grayscale DICOM frame: the file's first window (with its VOI LUT
 * Function) or the frame's full range for `file` and for a card without a window; the named
 * preset's HU values; or the card's fixed centre and width.
 */
export function windowForFrame(window: CardWindow | undefined, frame: DicomFrame): WindowSpec {
  if (window === undefined || window.source === 'file') {
    const first = frame.facts.windows[0];
    if (first) return { center: first.center, width: first.width, fn: frame.facts.voiLutFunction };
    return fullRangeWindow(frame.min, frame.max);
  }
  if (window.source === 'preset') return { ...windowPresets[window.name], fn: 'LINEAR' };
  return { center: window.center, width: window.width, fn: 'LINEAR' };
}

/** How a card's window reads in a message: `preset "lung" (centre -600, width 1500)`. */
export function describeCardWindow(window: CardWindow): string {
  switch (window.source) {
    case 'file':
      return "the file's window";
    case 'preset': {
      const { center, width } = windowPresets[window.name];
      return `preset "${window.name}" (centre ${center} HU, width ${width} HU)`;
    }
    case 'fixed':
      return `centre ${window.center}, width ${window.width}`;
  }
}

/**
 * A PNG, JPEG, WebP or TIFF has display values, not modality values (no Hounsfield units): a card
 * window in modality units cannot mean anything there, so it is refused rather than applied to
 * 0..255. `file` is the image's own range, which is what it already holds: nothing to do.
 */
export function checkWindowForPlainImage(window: CardWindow | undefined, imageName: string, format: string): void {
  if (window === undefined || window.source === 'file') return;
  throw new LumenError(
    'invalid-image',
    `The model card windows in modality units (${describeCardWindow(window)}), but "${imageName}" is a ${format.toUpperCase()} image, which has no modality values (no Hounsfield units).`,
    'Open the DICOM file the image came from, or set the card\'s preprocess.window to {"source": "file"} (or remove it) for this model.',
    { field: 'preprocess.window' },
  );
}

/** Windows apply to one-channel data; a colour DICOM (ultrasound, photographs) has its own display values. */
export function checkWindowForColourFrame(window: CardWindow | undefined, imageName: string, photometric: string): void {
  if (window === undefined || window.source === 'file') return;
  throw new LumenError(
    'invalid-image',
    `The model card windows in modality units (${describeCardWindow(window)}), but "${imageName}" is a colour DICOM image (${photometric}), which has no modality values to window.`,
    'Use a grayscale DICOM (CT, MR, radiograph) with this model, or set the card\'s preprocess.window to {"source": "file"}.',
    { field: 'preprocess.window' },
  );
}
