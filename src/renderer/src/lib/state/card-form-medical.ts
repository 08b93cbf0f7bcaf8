import type { ModelCard, ModelCardFile } from '../../../../shared/model-card';
import { windowPresetNames, type WindowPresetName } from '../../../../shared/windowing/window-presets';

/** The medical preprocessing fields of the card form (window, invert, value range, z-score, photometrics), as form values. */
export interface MedicalCardForm {
  window: 'none' | 'file' | 'preset' | 'fixed';
  windowPreset: WindowPresetName;
  windowCenter: string;
  windowWidth: string;
  invert: boolean;
  zscore: boolean;
  /** "low, high", or empty for none. */
  valueRange: string;
  /** Comma-separated photometric interpretations, or empty for any. */
  acceptsPhotometric: string;
  /** Whether the card had any of these fields: then an emptied field is sent as null, which clears it. */
  hadMedical: boolean;
}

export function medicalToForm(card: ModelCard): MedicalCardForm {
  const { window, invert, zscore, valueRange } = card.preprocess;
  const accepts = card.input.acceptsPhotometric;
  return {
    window: window?.source ?? 'none',
    windowPreset: window?.source === 'preset' ? window.name : windowPresetNames[0],
    windowCenter: window?.source === 'fixed' ? String(window.center) : '',
    windowWidth: window?.source === 'fixed' ? String(window.width) : '',
    invert: invert ?? false,
    zscore: zscore ?? false,
    valueRange: valueRange ? valueRange.join(', ') : '',
    acceptsPhotometric: accepts ? accepts.join(', ') : '',
    hadMedical: window !== undefined || invert !== undefined || zscore !== undefined || valueRange !== undefined || accepts !== undefined,
  };
}

type Preprocess = NonNullable<ModelCardFile['preprocess']>;
type Input = NonNullable<ModelCardFile['input']>;

/**
 * The medical fields as card-file fields: only those set, and, when the card had some, null for the
 * others so that saving clears them. Numbers are parsed, not judged: the engine's schema names a
 * field that is wrong (a width of 0, a range whose low end is not below its high end).
 */
export function formToMedical(form: MedicalCardForm): { input: Partial<Input>; preprocess: Partial<Preprocess> } {
  const clear = form.hadMedical ? null : undefined;
  const window: Preprocess['window'] =
    form.window === 'file'
      ? { source: 'file' }
      : form.window === 'preset'
        ? { source: 'preset', name: form.windowPreset }
        : form.window === 'fixed'
          ? { source: 'fixed', center: Number(form.windowCenter), width: Number(form.windowWidth) }
          : clear;
  const range = form.valueRange.split(/[\s,]+/).filter(Boolean).map(Number);
  // Commas only: "PALETTE COLOR" has a space in it.
  const accepts = form.acceptsPhotometric
    .split(',')
    .map((p) => p.trim().toUpperCase())
    .filter(Boolean) as NonNullable<Input['acceptsPhotometric']>;
  const preprocess: Partial<Preprocess> = {
    window,
    invert: form.invert ? true : clear,
    zscore: form.zscore ? true : clear,
    valueRange: range.length > 0 ? (range as [number, number]) : clear,
  };
  const input: Partial<Input> = { acceptsPhotometric: accepts.length > 0 ? accepts : clear };
  return { input: dropUndefined(input), preprocess: dropUndefined(preprocess) };
}

function dropUndefined<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as T;
}
