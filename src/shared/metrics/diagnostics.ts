/**
 * Figures an audit stores per image that nobody asks for as metrics: where the attribution's mass
 * lies (border, corners, ground truth, marked regions) and, for multi-label models, each finding's
 * probability. They are not scores of the explanation's quality, so no direction is better; they
 * are there because the audit's flags read them (the thresholds live here so the flags and their
 * descriptions cannot drift apart).
 */

export interface DiagnosticEntry {
  id: string;
  label: string;
  /** What the figure is, in one line. */
  summary: string;
  /** Why it is shown although nobody asked for it. */
  why: string;
}

/** The audit flags an image when a share crosses its threshold (see audit-report.ts). */
export const massFlagThresholds = {
  truthMass: { below: 0.5 },
  regionMass: { above: 0.3 },
  borderMass: { above: 0.5 },
  cornerMass: { above: 0.3 },
} as const;

const pct = (share: number): string => `${Math.round(100 * share)} %`;

export const diagnosticCatalogue = [
  {
    id: 'borderMass',
    label: 'Share on the border',
    summary: 'The share of the attribution’s absolute mass in the outer 10 % band of the image, where rulers and text markers sit.',
    why: `Stored by every audit: an image is flagged when more than ${pct(massFlagThresholds.borderMass.above)} lies on the border.`,
  },
  {
    id: 'cornerMass',
    label: 'Share in the corners',
    summary: 'The share of the attribution’s absolute mass in the four corner squares (15 % of the shorter side), where burnt-in labels sit.',
    why: `Stored by every audit: an image is flagged when more than ${pct(massFlagThresholds.cornerMass.above)} lies in the corners.`,
  },
  {
    id: 'truthMass',
    label: 'Share on the ground truth',
    summary: 'The share of the attribution’s absolute mass inside the image’s ground truth (boxes or mask).',
    why: `Stored for images with ground truth: an image is flagged when less than ${pct(massFlagThresholds.truthMass.below)} lies on it.`,
  },
  {
    id: 'regionMass',
    label: 'Share on marked regions',
    summary: 'The share of the attribution’s absolute mass inside the regions of interest marked with annotations.',
    why: `Stored for images with marked regions: an image is flagged when more than ${pct(massFlagThresholds.regionMass.above)} lies on them.`,
  },
] as const satisfies readonly DiagnosticEntry[];

/** Multi-label audits store each finding's probability under this prefix (`finding:Effusion`). */
export const findingFigurePrefix = 'finding:';

/** The diagnostic behind a stored figure id, including a finding's probability, or undefined. */
export function diagnosticEntry(id: string): DiagnosticEntry | undefined {
  const fixed = diagnosticCatalogue.find((d) => d.id === id);
  if (fixed) return fixed;
  if (!id.startsWith(findingFigurePrefix) || id.length === findingFigurePrefix.length) return undefined;
  const finding = id.slice(findingFigurePrefix.length);
  return {
    id,
    label: `Probability of ${finding}`,
    summary: `The model’s probability that the image shows ${finding}.`,
    why: 'Stored by multi-label audits: the per-finding table and the false positive/negative flags read it.',
  };
}
