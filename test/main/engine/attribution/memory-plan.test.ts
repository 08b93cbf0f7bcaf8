import { afterEach, describe, expect, it } from 'vitest';
import { maxRowsPerRun, memoryBudgetBytes, rowsPerRun } from '../../../../src/main/engine/attribution/memory-plan';
import { Settings } from '../../../../src/shared/contract/settings';

describe('memory plan', () => {
  afterEach(() => {
    delete process.env['LUMEN_MEMORY_BUDGET_MB'];
  });

  it('fits as many rows as the budget allows (twice the activations per row), at least one', () => {
    expect(rowsPerRun(1_000_000, true, 120_000_000)).toBe(15);
    expect(rowsPerRun(1e9, true, 120_000_000)).toBe(1);
    expect(rowsPerRun(10, true, 120_000_000)).toBe(64);
  });

  it('reckons a forward-only row as one copy of its activations', () => {
    expect(rowsPerRun(1_000_000, true, 120_000_000, 64, true)).toBe(30);
  });

  it("gives DenseNet-121's gradient graph two rows per run at the default CPU budget", () => {
    // 44,858,624 float activations per row at 224 x 224 (counted by the compiler).
    expect(rowsPerRun(44_858_624, true, memoryBudgetBytes('cpu'))).toBe(2);
  });

  it('takes at most 8 rows per run on the CPU (more only cost memory there) and 64 on an accelerator', () => {
    expect(maxRowsPerRun('cpu')).toBe(8);
    expect(maxRowsPerRun('cuda')).toBe(64);
    // ResNet-18's gradient graph: 5,751,016 activations per row would fit 23 rows in the budget.
    expect(rowsPerRun(5_751_016, true, memoryBudgetBytes('cpu'), maxRowsPerRun('cpu'))).toBe(8);
  });

  it('runs models that cannot batch one row at a time', () => {
    expect(rowsPerRun(1000, false, 1e9)).toBe(1);
  });

  it('gives the CPU a small budget and accelerators a large one; LUMEN_MEMORY_BUDGET_MB wins', () => {
    expect(memoryBudgetBytes('cpu')).toBe(1024 * 2 ** 20);
    expect(memoryBudgetBytes('cuda')).toBe(2048 * 2 ** 20);
    process.env['LUMEN_MEMORY_BUDGET_MB'] = '100';
    expect(memoryBudgetBytes('cuda')).toBe(100 * 2 ** 20);
  });

  it("uses the settings' memory budget on the CPU, and the settings' default is the same 1024 MiB", () => {
    expect(Settings.parse({}).memoryBudgetMiB).toBe(1024);
    expect(memoryBudgetBytes('cpu', Settings.parse({}).memoryBudgetMiB)).toBe(memoryBudgetBytes('cpu'));
    expect(memoryBudgetBytes('cpu', 512)).toBe(512 * 2 ** 20);
    expect(memoryBudgetBytes('cuda', 1024)).toBe(2048 * 2 ** 20);
  });
});
