/**
 * How many rows (images, path points, noise samples) go through one run of a compiled graph. A
 * row needs its forward activations, the matching gradients and temporaries: about three times
 * the forward activations. Bigger runs amortise per-run overhead; the budget keeps them in memory.
 */
export const defaultMemoryBudgetBytes = 1024 * 1024 * 1024;

export function memoryBudgetBytes(): number {
  const mb = Number(process.env['LUMEN_MEMORY_BUDGET_MB']);
  return Number.isFinite(mb) && mb > 0 ? mb * 1024 * 1024 : defaultMemoryBudgetBytes;
}

export function rowsPerRun(activationElementsPerRow: number, batchable: boolean, budget = memoryBudgetBytes(), cap = 64): number {
  if (!batchable) return 1;
  const perRow = Math.max(1, activationElementsPerRow) * 4 * 3;
  return Math.max(1, Math.min(cap, Math.floor(budget / perRow)));
}
