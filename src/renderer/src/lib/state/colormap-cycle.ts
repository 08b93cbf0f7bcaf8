import { colormapsOfKind } from '../heatmap/colormaps';
import type { DisplaySettings } from './display.svelte';

/** The C shortcut: the next colormap of the kind the current mode uses (sequential or diverging). */
export function cycleColormap(display: DisplaySettings): void {
  const diverging = display.mode === 'signed';
  const ids = colormapsOfKind(diverging ? 'diverging' : 'sequential').map((c) => c.id);
  const current = diverging ? display.divergingColormap : display.colormap;
  const next = ids[(ids.findIndex((id) => id === current) + 1) % ids.length] ?? current;
  if (diverging) display.divergingColormap = next;
  else display.colormap = next;
}
