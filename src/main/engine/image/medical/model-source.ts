import type { CardWindow, ModelCard } from '../../../../shared/model-card';
import { windowPresets } from '../../../../shared/windowing/window-presets';
import type { VoiChoice } from '../dicom/apply-window';
import type { DicomImage } from '../dicom/dicom-image';
import { withWindow, type ImageSource } from '../image-source';
import { checkWindowForColourFrame, checkWindowForPlainImage } from './card-window';
import { checkPhotometric } from './check-photometric';

/**
 * The last rendering through a card's window, per opened DICOM image: re-rendering a 2048 x 2048
 * frame costs ~0.2 s, and every classify or explanation request of the image asks for it again.
 * It lives as long as the opened image does (the image store drops both together).
 */
const rendered = new WeakMap<DicomImage, { key: string; source: ImageSource }>();

/**
 * The image as the model sees it, before geometry: step 1 of the card's preprocessing. A DICOM
 * image is checked against the card's photometric interpretations and rendered through the card's
 * window (the file's when the card sets none), whatever window it was opened or is shown with:
 * the display never decides what the model sees. A PNG/JPEG/TIFF passes as it is, unless the card
 * asks for a window in modality units, which it cannot have.
 */
export function modelSource(source: ImageSource, card: ModelCard): ImageSource {
  const window = card.preprocess.window;
  if (!source.dicom) {
    checkWindowForPlainImage(window, source.name, source.format);
    return source;
  }
  const { facts, frame } = source.dicom;
  checkPhotometric(card, facts.photometric, source.name);
  if (frame.channels === 3) checkWindowForColourFrame(window, source.name, facts.photometric);
  const choice = voiChoice(window);
  if (choice === 'file' && source.dicom.window === 'file' && source.dicom.voiFunction === undefined) return source;
  const key = JSON.stringify(choice);
  const cached = rendered.get(source.dicom);
  if (cached?.key === key) return cached.source;
  const windowed = withWindow(source, choice);
  rendered.set(source.dicom, { key, source: windowed });
  return windowed;
}

/** The card's window as the reader's VOI choice (apply-window.ts); presets and fixed windows are LINEAR. */
export function voiChoice(window: CardWindow | undefined): VoiChoice {
  if (window === undefined || window.source === 'file') return 'file';
  if (window.source === 'preset') return { ...windowPresets[window.name] };
  return { center: window.center, width: window.width };
}
