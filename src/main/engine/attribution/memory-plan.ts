import { defaultMemoryBudgetMiB } from '../../../shared/memory-budget';

/**
 * How many rows (images, path points, noise samples) go through one run of a compiled graph. A
 * row of a gradient graph needs the forward activations the backward reads, the gradients and
 * temporaries. Reckoned as twice its forward activations (float32), which stays above what
 * onnxruntime 1.30 really took on the CPU: the peak RSS grew per added row (4 to 8 rows) by
 * 37 MiB on ResNet-18 (44 reckoned), 208 MiB on DenseNet-121 (342 reckoned) and 417 MiB on
 * ViT-B/16 (998 reckoned). More rows per run are never slower on the CPU and somewhat faster on
 * big models (ms per row at 1, 2, 4, 8 rows: DenseNet-121 87, 83, 83, 79; ViT-B/16 at 1, 2, 4:
 * 319, 296, 285; ResNet-18 flat at 32-34 from 2 to 23 rows), but past 8 rows they only cost
 * memory (ResNet-18's forward: 11.0, 9.5, 9.5, 9.4 ms per row at 1, 8, 17, 46 rows), so the CPU
 * takes at most 8 rows per run; accelerators up to 64, where big runs amortise launch overhead.
 */
export const defaultMemoryBudgetBytes = { cpu: defaultMemoryBudgetMiB.cpu * 1024 * 1024, accelerator: defaultMemoryBudgetMiB.accelerator * 1024 * 1024 };

/** The budget of one run: LUMEN_MEMORY_BUDGET_MB, else the settings' CPU budget on the CPU, else the accelerator's default. */
export function memoryBudgetBytes(provider: string = 'cpu', cpuBudgetMiB: number = defaultMemoryBudgetMiB.cpu): number {
  const mb = Number(process.env['LUMEN_MEMORY_BUDGET_MB']);
  if (Number.isFinite(mb) && mb > 0) return mb * 1024 * 1024;
  return provider === 'cpu' ? cpuBudgetMiB * 1024 * 1024 : defaultMemoryBudgetBytes.accelerator;
}

/** The most rows one run takes on a provider (see above). */
export function maxRowsPerRun(provider: string = 'cpu'): number {
  return provider === 'cpu' ? 8 : 64;
}

export function rowsPerRun(activationElementsPerRow: number, batchable: boolean, budget: number, cap = 64, forwardOnly = false): number {
  if (!batchable) return 1;
  // A forward-only run frees each activation once its consumers ran: about one copy per row.
  const perRow = Math.max(1, activationElementsPerRow) * 4 * (forwardOnly ? 1 : 2);
  return Math.max(1, Math.min(cap, Math.floor(budget / perRow)));
}
