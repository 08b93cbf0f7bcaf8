import type { ModelCard } from '../../../../shared/model-card';
import { windowPresets } from '../../../../shared/windowing/window-presets';

/**
 * What the model sees of a DICOM image, from its card, in words for the inspector's note that the
 * window/level drag changes the display only.
 */
export function modelWindowText(card: ModelCard): string {
  const w = card.preprocess.window;
  if (w === undefined) return "the file's window (the card sets none)";
  switch (w.source) {
    case 'file':
      return "the file's window (set by the card)";
    case 'preset': {
      const p = windowPresets[w.name];
      return `the ${w.name} preset, centre ${p.center}, width ${p.width} (set by the card)`;
    }
    case 'fixed':
      return `centre ${w.center}, width ${w.width} (set by the card)`;
  }
}
