/** The words of the multi-label views: the finding picker in the inspector and the audit's finding table. */
export const findingsText = {
  title: 'Findings',
  present: (n: number, of: number) => `${n} of ${of} present`,
  list: 'Findings, most probable first',
  explain: (label: string) => `Explain ${label}`,
  thresholdMark: (threshold: string) => `threshold ${threshold}`,
  presentBadge: 'present',
  absentBadge: 'absent',
  decision: (probability: string, present: boolean, threshold: string) => `${probability} ${present ? '≥' : '<'} threshold ${threshold}`,
  help: 'Each finding has its own sigmoid probability; the mark on its bar is the card’s threshold. Explain a finding’s probability with the objective "sigmoid".',
  table: 'Per finding (truth known; 95% bootstrap intervals)',
  columns: { finding: 'Finding', threshold: 'Threshold', images: 'Images (positive)', auroc: 'AUROC', sensitivity: 'Sensitivity', specificity: 'Specificity', fp: 'FP', fn: 'FN' },
  interval: (low: string, high: string) => `${low} – ${high}`,
  none: '—',
  unmatched: (labels: string) => `Dataset labels that are no finding of the model were ignored: ${labels}.`,
};
