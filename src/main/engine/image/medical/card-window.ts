import { LumenError } from '../../../../shared/errors';
import type { CardWindow } from '../../../../shared/model-card';
import { windowPresets } from '../../../../shared/windowing/window-presets';

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
