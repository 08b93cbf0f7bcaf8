/** What the inspector says about explanations kept from before (this session's, or stored in the project). */
export const explanationsText = {
  stale: 'stale',
  recompute: (label: string) => `Recompute ${label}`,
  recomputeShort: 'Recompute',
  /** Next to the shown map's name when it is stale (the list says why). */
  staleShown: 'stale: see Explanations',
  staleList: 'Explanations made by another model or Lumen are marked stale; recompute them with one click.',
};
