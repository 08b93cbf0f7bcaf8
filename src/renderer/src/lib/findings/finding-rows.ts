import type { Finding } from '../../../../shared/contract/classification';

/** One finding as the picker shows it: its bar and the card's threshold on the same 0-100% scale. */
export interface FindingRow extends Finding {
  /** Bar width and threshold mark position, percent of the track. */
  barPercent: number;
  thresholdPercent: number;
}

/**
 * A multi-label model's findings for the target picker: most probable first (ties by index, as the
 * engine sorts them, re-sorted here so any order given reads the same), with the number present.
 */
export function findingRows(findings: Finding[]): { rows: FindingRow[]; present: number } {
  const rows = [...findings]
    .sort((a, b) => b.probability - a.probability || a.index - b.index)
    .map((f) => ({ ...f, barPercent: Math.max(0.5, Math.min(100, f.probability * 100)), thresholdPercent: Math.min(100, Math.max(0, f.threshold * 100)) }));
  return { rows, present: rows.filter((r) => r.present).length };
}
