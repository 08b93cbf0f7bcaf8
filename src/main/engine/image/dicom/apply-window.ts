import { LumenError } from '../../../../shared/errors';
import type { DicomFrame, VoiLutTable, VoiWindow } from './dicom-types';
import { lookUp } from './lut-table';

export type VoiFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

/**
 * Which VOI transform to apply: a window in modality units, the file's own ('file': its first
 * Window Center/Width preset, else its first VOI LUT table, else the full range), the frame's full
 * range of values, or one of the file's VOI LUT tables by index.
 */
export type VoiChoice = VoiWindow | 'file' | 'full-range' | { lutIndex: number };

const top = 65535;

/**
 * The VOI transform (PS3.3 C.11.2.1.2) of a decoded frame, as 16-bit display-ready values:
 * 0 black, 65535 white. MONOCHROME1 is inverted here, so that a high value is always bright.
 * Colour frames are scaled from their sample range (or windowed per channel when a window is given).
 * `fn` defaults to the file's VOI LUT Function for its own windows, LINEAR for any other window.
 */
export function applyWindow(frame: DicomFrame, window: VoiChoice, fn?: VoiFunction): Uint16Array {
  const { facts, values } = frame;
  const out = new Uint16Array(values.length);
  if (frame.channels === 3 && (window === 'file' || window === 'full-range')) {
    const scale = top / (frame.sampleMax ?? 255);
    for (let i = 0; i < values.length; i++) out[i] = Math.min(top, Math.max(0, Math.round(values[i]! * scale)));
    return out;
  }
  const resolved = resolveChoice(frame, window);
  if ('table' in resolved) applyTable(values, resolved.table, out);
  else {
    // The full range maps the smallest value to 0 and the largest to 65535 exactly, whatever the file's function.
    const chosenFn = resolved.exact ? 'LINEAR_EXACT' : (fn ?? (window === 'file' ? facts.voiLutFunction : 'LINEAR'));
    applyFunction(values, resolved.window, chosenFn, out, frame.min, frame.max);
  }
  if (facts.photometric === 'MONOCHROME1' && frame.channels === 1) for (let i = 0; i < out.length; i++) out[i] = top - out[i]!;
  return out;
}

/** The window the 'file' choice stands for, in words, e.g. for a note ("window 40/400 (LUNG)"). */
export function describeChoice(frame: DicomFrame, window: VoiChoice): string {
  const resolved = resolveChoice(frame, window);
  if ('table' in resolved) return `the file's VOI LUT${resolved.table.explanation ? ` (${resolved.table.explanation})` : ''}`;
  if (resolved.exact) return `the full range of values (${frame.min} to ${frame.max})`;
  const w = resolved.window;
  return `window centre ${w.center}, width ${w.width}${w.explanation ? ` (${w.explanation})` : ''}`;
}

function resolveChoice(frame: DicomFrame, window: VoiChoice): { window: VoiWindow; exact: boolean } | { table: VoiLutTable } {
  const { facts } = frame;
  if (window === 'full-range' || (window === 'file' && facts.windows.length === 0 && !facts.hasVoiLutTable)) {
    return { window: fullRange(frame), exact: true };
  }
  if (window === 'file') {
    if (facts.windows.length > 0) return { window: facts.windows[0]!, exact: false };
    return { table: tableAt(frame, 0) };
  }
  if ('lutIndex' in window) return { table: tableAt(frame, window.lutIndex) };
  if (!(window.width > 0) || !Number.isFinite(window.center)) {
    throw new LumenError('invalid-argument', `A window needs a finite centre and a width above 0 (got centre ${window.center}, width ${window.width}).`, 'Give a positive window width.');
  }
  return { window, exact: false };
}

/** From the smallest to the largest value present (a flat image maps to black). */
function fullRange(frame: DicomFrame): VoiWindow {
  const width = frame.max - frame.min;
  return { center: (frame.min + frame.max) / 2, width: width > 0 ? width : 1 };
}

function tableAt(frame: DicomFrame, index: number): VoiLutTable {
  const { facts } = frame;
  const tables = facts.voiLutTables ?? [];
  const table = tables[index];
  if (table) return table;
  if (facts.voiLutProblem) {
    throw new LumenError('invalid-image', `The file's VOI LUT cannot be used: ${facts.voiLutProblem}.`, 'Choose a window (centre/width) or the full range instead.', { problem: facts.voiLutProblem });
  }
  throw new LumenError('invalid-argument', `The file has ${tables.length} VOI LUT table${tables.length === 1 ? '' : 's'}; table ${index + 1} does not exist.`, 'Choose another table, a window or the full range.');
}

/** PS3.3 C.11.2.1.2.1 (LINEAR), C.11.2.1.3.2 (LINEAR_EXACT) and C.11.2.1.3.1 (SIGMOID), with output 0..65535. */
function applyFunction(values: Float32Array, window: VoiWindow, fn: VoiFunction, out: Uint16Array, min: number, max: number): void {
  const { center, width } = window;
  // LINEAR treats the window as (width - 1) wide around (centre - 0.5); a width of 1 is a threshold.
  const c = fn === 'LINEAR' ? center - 0.5 : center;
  const w = fn === 'LINEAR' ? width - 1 : width;
  const low = c - w / 2;
  const high = c + w / 2;
  const f =
    fn === 'SIGMOID'
      ? (x: number): number => Math.round(top / (1 + Math.exp((-4 * (x - center)) / width)))
      : (x: number): number => (x <= low ? 0 : x > high ? top : Math.round(((x - c) / w + 0.5) * top));
  if (!tabulated(values, min, max, f, out)) for (let i = 0; i < values.length; i++) out[i] = f(values[i]!);
}

/**
 * Integer modality values (the usual case: integer slope and intercept) take their output from a
 * table over min..max, computed once per value rather than once per pixel. Returns false, having
 * written nothing final, when a value is not an integer or the range is too wide to tabulate.
 */
function tabulated(values: Float32Array, min: number, max: number, f: (x: number) => number, out: Uint16Array): boolean {
  if (!Number.isInteger(min) || !Number.isInteger(max) || max - min > 1 << 20 || max - min + 1 > values.length) return false;
  const table = new Uint16Array(max - min + 1);
  for (let k = 0; k < table.length; k++) table[k] = f(min + k);
  const n = table.length;
  for (let i = 0; i < values.length; i++) {
    const k = values[i]! - min;
    if ((k | 0) !== k || k < 0 || k >= n) return false;
    out[i] = table[k]!;
  }
  return true;
}

/** A VOI LUT table: values before the first mapped one take the first entry, after the last the last entry. */
function applyTable(values: Float32Array, table: VoiLutTable, out: Uint16Array): void {
  const scale = top / (2 ** table.bits - 1);
  for (let i = 0; i < values.length; i++) out[i] = Math.round(lookUp(table, values[i]!) * scale);
}
