import type { ModelCard, OutputKind } from './model-card';

/**
 * Multi-label models (chest X-ray models with 14 or 18 findings) score every finding on its own:
 * each finding's probability is a sigmoid, and a finding is called present when its probability
 * reaches the card's threshold for it. Shared by the engine, the CLI and the workstation.
 */

/** The threshold of a finding when the card gives none: the sigmoid's midpoint (logit 0). */
export const defaultFindingThreshold = 0.5;

/** Whether the output holds independent findings rather than one class per image. */
export function isMultiLabel(kind: OutputKind): boolean {
  return kind === 'multilabel-logits' || kind === 'multilabel-probabilities';
}

/** Finding `index`'s threshold: the card's per-finding value, its global one, or 0.5. */
export function findingThreshold(output: Pick<ModelCard['output'], 'labels' | 'thresholds'>, index: number): number {
  const t = output.thresholds;
  if (t === undefined) return defaultFindingThreshold;
  if (typeof t === 'number') return t;
  const label = output.labels[index];
  return (label !== undefined ? t[label] : undefined) ?? defaultFindingThreshold;
}
