import type { LumenApi } from '../../../../shared/contract/api';
import type { ImageValues } from '../../../../shared/contract/image';
import type { LumenError } from '../../../../shared/errors';
import { fullRangeWindow } from '../../../../shared/windowing/voi-window';
import { windowPresets, type WindowPresetName } from '../../../../shared/windowing/window-presets';
import { asLumenError } from '../state/errors';
import { dragSensitivity, dragWindow, type DisplayWindow } from './window-level';

/** A window the menu offers: the file's own (by index, or its VOI LUT as null), the full range or a named CT preset. */
export interface WindowChoice {
  key: string;
  label: string;
  window: DisplayWindow | null;
}

/**
 * The inspector's window/level for a DICOM image: the frame's modality values (fetched once per
 * frame), the window shown, the presets, the drag. It changes only what the canvas shows: the
 * model's input follows the card, never this.
 */
export class WindowLevelState {
  values: ImageValues | null = $state.raw(null);
  /** The window drawn on the canvas; null: the file's own VOI LUT, which the engine's preview shows. */
  window: DisplayWindow | null = $state(null);
  /** Whether the left button drags the window (otherwise it pans; right and middle always window). */
  mode = $state(false);
  error: LumenError | null = $state(null);
  loading = $state(false);
  /** The image whose values are held (a frame change keeps the window, a new image resets it). */
  imageId: string | null = null;
  /** The frame the image was opened with: the one its preview shows and the model sees. */
  openedFrame = $state(0);
  private request = 0;
  private drag: { x: number; y: number; start: DisplayWindow; id: number } | null = $state.raw(null);

  /** The file's first window with its VOI LUT Function, else its VOI LUT (null), else the full range: what a viewer opens with. */
  get initial(): DisplayWindow | null {
    const v = this.values;
    if (!v) return null;
    const first = v.windows[0];
    if (first) return { center: first.center, width: first.width, fn: v.voiLutFunction };
    if (v.hasVoiLut) return null;
    return this.fullRange;
  }

  get fullRange(): DisplayWindow | null {
    return this.values ? { ...fullRangeWindow(this.values.min, this.values.max), fn: 'LINEAR' } : null;
  }

  /** The file's windows, then (for CT, whose values are Hounsfield units) the named presets. */
  get choices(): WindowChoice[] {
    const v = this.values;
    if (!v) return [];
    const own: WindowChoice[] = v.windows.map((w, i) => ({
      key: `file-${i}`,
      label: `${w.explanation ?? `File window ${i + 1}`} (${w.center} / ${w.width})`,
      window: { center: w.center, width: w.width, fn: v.voiLutFunction },
    }));
    if (v.hasVoiLut) own.push({ key: 'file-lut', label: "File's VOI LUT", window: null });
    const full = { key: 'full', label: `Full range (${v.min} to ${v.max})`, window: this.fullRange! };
    if (v.modality !== undefined && v.modality !== 'CT') return [...own, full];
    const named = (Object.keys(windowPresets) as WindowPresetName[]).map((name) => ({
      key: `preset-${name}`,
      label: `${name} (${windowPresets[name].center} / ${windowPresets[name].width} HU)`,
      window: { ...windowPresets[name], fn: 'LINEAR' as const },
    }));
    return [...own, full, ...named];
  }

  get monochrome1(): boolean {
    return this.values?.photometric === 'MONOCHROME1';
  }

  /** Fetches a frame's values; the window is kept across frames of the same image, reset for a new image. */
  async load(api: LumenApi, imageId: string | null, frame?: number): Promise<void> {
    const request = ++this.request;
    this.error = null;
    if (imageId === null) {
      this.values = null;
      this.window = null;
      this.imageId = null;
      this.loading = false;
      return;
    }
    this.loading = true;
    try {
      const values = await api.call('images.values', { imageId, ...(frame !== undefined ? { frame } : {}) });
      if (request !== this.request) return;
      const sameImage = this.imageId === imageId && this.values !== null;
      if (!sameImage) this.openedFrame = values.frame;
      this.values = values;
      this.imageId = imageId;
      if (!sameImage) this.window = this.initial;
      // The file's VOI LUT is drawn by the engine's preview, which shows the opened frame only.
      if (this.window === null && values.frame !== this.openedFrame) this.window = this.fullRange;
    } catch (e) {
      if (request !== this.request) return;
      this.values = null;
      this.window = null;
      this.imageId = null;
      this.error = asLumenError(e);
    } finally {
      if (request === this.request) this.loading = false;
    }
  }

  choose(window: DisplayWindow | null): void {
    this.window = window ? { ...window } : null;
  }

  reset(): void {
    this.window = this.initial;
  }

  /** Whether a pointer-down starts a window drag: right or middle button, or the left one in W/L mode. */
  startsDrag(button: number): boolean {
    return this.values !== null && (button === 1 || button === 2 || (button === 0 && this.mode));
  }

  beginDrag(x: number, y: number, pointerId: number): void {
    // From the file's VOI LUT, a drag starts at the full range (a table has no centre and width).
    const start = this.window ?? this.fullRange;
    if (start) this.drag = { x, y, start, id: pointerId };
  }

  moveDrag(x: number, y: number, pointerId: number): boolean {
    const d = this.drag;
    if (!d || d.id !== pointerId || !this.values) return false;
    this.window = dragWindow(d.start, x - d.x, y - d.y, dragSensitivity(this.values.min, this.values.max));
    return true;
  }

  endDrag(pointerId: number): void {
    if (this.drag?.id === pointerId) this.drag = null;
  }

  get dragging(): boolean {
    return this.drag !== null;
  }
}
