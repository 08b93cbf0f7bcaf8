import type { ModelCard, ModelCardFile, ResolvedCard } from '../../../../shared/model-card';
import { formToMedical, medicalToForm, type MedicalCardForm } from './card-form-medical';

/** The card fields a user edits in the Models screen, as form strings. */
export interface CardForm extends MedicalCardForm {
  name: string;
  layout: ModelCard['input']['layout'];
  color: ModelCard['input']['color'];
  resize: ModelCard['preprocess']['resize']['mode'];
  cropFraction: string;
  fill: string;
  interpolation: ModelCard['preprocess']['interpolation'];
  scale: string;
  mean: string;
  std: string;
  outputKind: ModelCard['output']['kind'];
  labels: string;
}

export function cardToForm(resolved: ResolvedCard): CardForm {
  const c = resolved.card;
  const resize = c.preprocess.resize;
  return {
    name: c.name,
    layout: c.input.layout,
    color: c.input.color,
    resize: resize.mode,
    cropFraction: resize.mode === 'center-crop' ? String(resize.cropFraction) : '0.875',
    fill: resize.mode === 'letterbox' ? String(resize.fill) : '0',
    interpolation: c.preprocess.interpolation,
    scale: String(c.preprocess.scale),
    mean: c.preprocess.mean.join(', '),
    std: c.preprocess.std.join(', '),
    outputKind: c.output.kind,
    labels: c.output.labels.join('\n'),
    ...medicalToForm(c),
  };
}

const numbers = (text: string): number[] =>
  text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);

/**
 * The form as a card file. Numbers are parsed here but validated by the engine against the model
 * (so the message names the field and what it expects); text that is not a number becomes NaN,
 * which the engine's schema rejects with the field's path.
 */
export function formToCard(form: CardForm): ModelCardFile {
  const resize =
    form.resize === 'center-crop'
      ? { mode: 'center-crop' as const, cropFraction: Number(form.cropFraction) }
      : form.resize === 'letterbox'
        ? { mode: 'letterbox' as const, fill: Number(form.fill) }
        : { mode: 'stretch' as const };
  const labels = form.labels
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const medical = formToMedical(form);
  return {
    name: form.name.trim(),
    input: { layout: form.layout, color: form.color, ...medical.input },
    preprocess: { resize, interpolation: form.interpolation, scale: Number(form.scale), mean: numbers(form.mean), std: numbers(form.std), ...medical.preprocess },
    output: { kind: form.outputKind, ...(labels.length > 0 ? { labels } : {}) },
  };
}
