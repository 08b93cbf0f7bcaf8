/**
 * What `lumen attribute` says the computation cost in model runs. graphRuns counts the runs of
 * compiled attribution graphs; a method that reads the model's own forward pass instead (attention
 * rollout reads the attention Softmax outputs of one plain forward run) reports its passes in its
 * figures, so it is not shown as costing nothing.
 */
export function describeRuns(graphRuns: number, figures: Readonly<Record<string, number>>): string {
  const forward = figures['forwardPasses'];
  const backward = figures['backwardPasses'];
  const passes =
    typeof forward === 'number'
      ? `${forward} forward${typeof backward === 'number' ? ` + ${backward} backward` : ''} pass${forward === 1 && (backward ?? 0) <= 1 ? '' : 'es'}`
      : undefined;
  if (graphRuns > 0) return `${graphRuns} onnxruntime run(s)${passes ? ` (${passes})` : ''}`;
  if (passes) return `${passes} of the model (no gradient graph)`;
  return '0 onnxruntime runs';
}
