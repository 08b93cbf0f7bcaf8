/** The compare screen's strings beyond appText.compare: panel figures and the difference panel's. */
export const compareText = {
  /** The full caption, also the tooltip of the one-line caption that may end in an ellipsis. */
  caption: (title: string, detail: string) => `${title} ${detail}`,
  figuresLabel: (panel: string) => `${panel} figures`,
  differenceA: 'A',
  differenceB: 'B',
  notApplicable: '—',
  /** Why a figure is a dash. */
  notMeasured: 'Not measured yet: “Measure all panels” computes it.',
  noCompleteness: 'Only path methods (Integrated Gradients and its kin) have a completeness error.',
  timeHint: 'Time the engine took to compute this explanation.',
} as const;
