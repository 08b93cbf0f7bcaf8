import type { OutputKind } from '../../../shared/model-card';
import { isMultiLabel } from '../../../shared/multilabel';
import { noFinding } from './multilabel-labels';

/**
 * How a dataset's labels line up with the model's. An audit counts a prediction right when the
 * model's label equals the dataset's (ignoring case and outer spaces), so a dataset labelled in
 * another vocabulary ("pneumonia" for a model that says "Pneumonia, viral", or class numbers)
 * reads as 0 % accuracy with every confident prediction flagged: that must be said before anyone
 * reads the numbers.
 */
export interface LabelOverlap {
  /** Distinct label names in the dataset (for a multi-label model, the findings named in its labels). */
  names: number;
  matchedNames: number;
  /** Dataset label names the model does not know, most frequent first. */
  unmatched: string[];
  labelledImages: number;
  /** Labelled images whose label (every finding of it, for a multi-label model) is the model's. */
  matchedImages: number;
}

const key = (s: string): string => s.trim().toLowerCase();

/** The names one image's label gives: itself, or a multi-label model's findings ('|'-separated, '?' unknown). */
function namesOf(label: string, multiLabel: boolean): string[] {
  if (!multiLabel) return [label.trim()];
  return label
    .split('|')
    .map((raw) => raw.trim().replace(/^\?/, '').trim())
    .filter((name) => name !== '' && key(name) !== key(noFinding));
}

export function labelOverlap(labels: Array<string | null>, output: { kind: OutputKind; labels: string[] }): LabelOverlap {
  const multiLabel = isMultiLabel(output.kind);
  const known = new Set(output.labels.map(key));
  const counts = new Map<string, { name: string; images: number; matched: boolean }>();
  let labelledImages = 0;
  let matchedImages = 0;
  for (const label of labels) {
    if (label === null || label.trim() === '') continue;
    labelledImages++;
    const names = namesOf(label, multiLabel);
    let all = true;
    for (const name of names) {
      const k = key(name);
      const matched = known.has(k);
      all &&= matched;
      const entry = counts.get(k) ?? { name, images: 0, matched };
      entry.images++;
      counts.set(k, entry);
    }
    if (all) matchedImages++;
  }
  const entries = [...counts.values()];
  return {
    names: entries.length,
    matchedNames: entries.filter((e) => e.matched).length,
    unmatched: entries
      .filter((e) => !e.matched)
      .sort((a, b) => b.images - a.images || a.name.localeCompare(b.name))
      .map((e) => e.name),
    labelledImages,
    matchedImages,
  };
}

/** How many unmatched labels and model labels a warning quotes. */
const examples = 5;

const quoted = (names: string[]): string => {
  const shown = names.slice(0, examples).map((n) => `"${n}"`).join(', ');
  return names.length > examples ? `${shown} and ${names.length - examples} more` : shown;
};

/**
 * The warnings an audit gives about its labels: none when every dataset label is one of the model's
 * (or the dataset has no labels); one when none matches (accuracy would read 0 %); one saying how
 * many match, with examples of those that do not, when only some do.
 */
export function labelOverlapWarnings(overlap: LabelOverlap, output: { labels: string[] }, dataset: string): string[] {
  if (overlap.names === 0 || overlap.unmatched.length === 0) return [];
  const modelExamples = quoted(output.labels);
  if (overlap.matchedNames === 0) {
    return [
      `None of the ${overlap.names} labels of dataset "${dataset}" is one of the model's ${output.labels.length} labels (dataset: ${quoted(overlap.unmatched)}; model: ${modelExamples}), so accuracy will read 0 % and confident predictions will all be flagged as mistakes. Rename the dataset's labels to the model's (lumen import --labels), or check that this is the right model for the dataset.`,
    ];
  }
  return [
    `Only ${overlap.matchedNames} of the ${overlap.names} labels of dataset "${dataset}" ${overlap.matchedNames === 1 ? 'is' : 'are'} the model's (${overlap.matchedImages} of ${overlap.labelledImages} labelled images); the others count as mistakes: ${quoted(overlap.unmatched)}. Rename them to the model's labels (e.g. ${modelExamples}) if they mean the same thing.`,
  ];
}

/**
 * The same warning without any label name, for documents that leave the machine (reports): a
 * dataset label can be an identifier, and the counts say what matters.
 */
export function labelOverlapCounts(overlap: LabelOverlap, output: { labels: string[] }): string | null {
  if (overlap.names === 0 || overlap.unmatched.length === 0) return null;
  if (overlap.matchedNames === 0) {
    return `None of the dataset's ${overlap.names} labels is one of the model's ${output.labels.length} labels: accuracy reads 0 % and confident predictions are flagged as mistakes. Check that the dataset is labelled in the model's vocabulary.`;
  }
  return `Only ${overlap.matchedNames} of the dataset's ${overlap.names} labels ${overlap.matchedNames === 1 ? 'is' : 'are'} the model's (${overlap.matchedImages} of ${overlap.labelledImages} labelled images); images with the others count as mistakes.`;
}
