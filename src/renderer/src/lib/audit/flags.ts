import type { z } from 'zod';
import type { AuditFlag, AuditResult } from '../../../../shared/contract/audit';

export type Flag = z.output<typeof AuditFlag>;

/**
 * Worst first, as the engine orders an audit's flags: more reasons first, then the more
 * confident prediction, then by path.
 */
export function compareFlags(a: Flag, b: Flag): number {
  return b.reasons.length - a.reasons.length || b.confidence - a.confidence || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

export function sortFlags(flags: readonly Flag[]): Flag[] {
  return [...flags].sort(compareFlags);
}

/** Accuracy over every labelled image: the per-class accuracies weighted by their images. */
export function overallAccuracy(perClass: AuditResult['perClass']): number | null {
  const images = perClass.reduce((s, c) => s + c.images, 0);
  if (images === 0) return null;
  return perClass.reduce((s, c) => s + c.accuracy * c.images, 0) / images;
}

/** Whether a flag's prediction disagrees with its label (ignoring case, as the engine compares). */
export function isMistake(flag: Pick<Flag, 'label' | 'predicted'>): boolean | null {
  if (flag.label === null) return null;
  return flag.label.trim().toLowerCase() !== flag.predicted.trim().toLowerCase();
}
