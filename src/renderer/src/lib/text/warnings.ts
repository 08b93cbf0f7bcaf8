/** Every user-visible string of the warnings next to results (IG's completeness, an audit's labels). */
export const warningsText = {
  completeness: {
    /** The relative value, always shown next to an IG result. */
    relative: (pct: string) => `${pct} of f(x) − f(baseline)`,
    title: 'Completeness error too large',
    tooLarge: (pct: string, tolerance: string) => `The attributions miss f(x) − f(baseline) by ${pct} of it (tolerance ${tolerance}): the path integral is estimated too coarsely.`,
    hint: (hint: string) => `To fix: ${hint}.`,
  },
  audit: {
    title: 'Check before trusting these numbers',
  },
};
