import type { WindowSpec } from '../../../../shared/windowing/voi-window';

/** A display window: centre and width in the image's modality units (Hounsfield units for CT). */
export interface DisplayWindow {
  center: number;
  width: number;
  fn: WindowSpec['fn'];
}

/**
 * Modality units per screen pixel of drag: the frame's levels (max - min + 1 for integer data)
 * over 1024 px, as Cornerstone's window/level tool does, so a drag across the screen sweeps the
 * whole range on any modality (4 HU per pixel on a 12-bit CT).
 */
export function dragSensitivity(min: number, max: number): number {
  return Math.max(max - min + 1, 1) / 1024;
}

/**
 * A window/level drag as every PACS viewer does it: horizontal movement changes the width (to the
 * right: wider, less contrast), vertical movement the centre (down: higher, the image darker).
 * The width never drops below 1, the narrowest LINEAR window DICOM defines. A dragged window is
 * LINEAR, whatever function the file's window had.
 */
export function dragWindow(start: DisplayWindow, dx: number, dy: number, sensitivity: number): DisplayWindow {
  return { center: start.center + dy * sensitivity, width: Math.max(1, start.width + dx * sensitivity), fn: 'LINEAR' };
}

/** Centre and width rounded for display: whole units when the range is wide, else three significant digits. */
export function formatWindowValue(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : Number(value.toPrecision(3)).toString();
}

/**
 * The modality value under a point of the stage (preview pixels), read from the preview-size
 * values (an area average of the frame's pixels there), or null outside the image.
 */
export function valueAt(values: { width: number; height: number; values: Float32Array }, stage: { width: number; height: number }, x: number, y: number): number | null {
  const u = Math.floor((x / stage.width) * values.width);
  const v = Math.floor((y / stage.height) * values.height);
  if (u < 0 || v < 0 || u >= values.width || v >= values.height) return null;
  return values.values[v * values.width + u]!;
}
