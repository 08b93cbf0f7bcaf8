import { defaultMemoryBudgetMiB } from '../../../shared/memory-budget';

/**
 * How many rows (images, path points, noise samples) go through one run of a compiled graph. A
 * row needs its forward activations, the matching gradients and temporaries: about three times
 * the forward activations. On a GPU, big runs amortise launch overhead; on a CPU, runs of a few
 * rows are as fast as big ones (measured: IG-32 on ResNet-18 took 0.90 s with 3 rows per run,
 * 1.18 s with 31 and 1.38 s with 62) and need far less memory, so the CPU budget is small.
 */
export const defaultMemoryBudgetBytes = { cpu: defaultMemoryBudgetMiB.cpu * 1024 * 1024, accelerator: defaultMemoryBudgetMiB.accelerator * 1024 * 1024 };

/** The budget of one run: LUMEN_MEMORY_BUDGET_MB, else the settings' CPU budget on the CPU, else the accelerator's default. */
export function memoryBudgetBytes(provider: string = 'cpu', cpuBudgetMiB: number = defaultMemoryBudgetMiB.cpu): number {
  const mb = Number(process.env['LUMEN_MEMORY_BUDGET_MB']);
  if (Number.isFinite(mb) && mb > 0) return mb * 1024 * 1024;
  return provider === 'cpu' ? cpuBudgetMiB * 1024 * 1024 : defaultMemoryBudgetBytes.accelerator;
}

export function rowsPerRun(activationElementsPerRow: number, batchable: boolean, budget: number, cap = 64, forwardOnly = false): number {
  if (!batchable) return 1;
  // A forward-only run frees each activation once its consumers ran: about one copy per row.
  const perRow = Math.max(1, activationElementsPerRow) * 4 * (forwardOnly ? 1 : 3);
  return Math.max(1, Math.min(cap, Math.floor(budget / perRow)));
}
