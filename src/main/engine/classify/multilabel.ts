import type { Finding } from '../../../shared/contract/classification';
import type { ModelCard } from '../../../shared/model-card';
import { findingThreshold, isMultiLabel } from '../../../shared/multilabel';
import { probabilities, topK } from './scores';

/**
 * A multi-label model's findings for one image's scores: every finding with its own sigmoid
 * probability and whether it reaches the card's threshold, most probable first (ties by index).
 * Undefined for a single-label model, whose classes compete through softmax instead.
 */
export function findings(scores: Float32Array, card: ModelCard): Finding[] | undefined {
  if (!isMultiLabel(card.output.kind)) return undefined;
  const probs = probabilities(scores, card.output.kind);
  const logits = card.output.kind === 'multilabel-logits';
  return topK(probs, probs.length).map((index) => {
    const threshold = findingThreshold(card.output, index);
    return {
      index,
      label: card.output.labels[index] ?? `finding ${index}`,
      probability: probs[index]!,
      logit: logits ? scores[index]! : null,
      threshold,
      present: probs[index]! >= threshold,
    };
  });
}

/** `{ findings }` for a multi-label model, nothing for another (the contract's field is optional). */
export function optionalFindings(list: Finding[] | undefined): { findings?: Finding[] } {
  return list ? { findings: list } : {};
}
