import { afterEach, describe, expect, it } from 'vitest';
import { memoryBudgetBytes, rowsPerRun } from '../../../../src/main/engine/attribution/memory-plan';
import { Settings } from '../../../../src/shared/contract/settings';

describe('memory plan', () => {
  afterEach(() => {
    delete process.env['LUMEN_MEMORY_BUDGET_MB'];
  });

  it('fits as many rows as the budget allows (three times the activations per row), at least one', () => {
    expect(rowsPerRun(1_000_000, true, 120_000_000)).toBe(10);
    expect(rowsPerRun(1e9, true, 120_000_000)).toBe(1);
    expect(rowsPerRun(10, true, 120_000_000)).toBe(64);
  });

  it('runs models that cannot batch one row at a time', () => {
    expect(rowsPerRun(1000, false, 1e9)).toBe(1);
  });

  it('gives the CPU a small budget and accelerators a large one; LUMEN_MEMORY_BUDGET_MB wins', () => {
    expect(memoryBudgetBytes('cpu')).toBe(384 * 2 ** 20);
    expect(memoryBudgetBytes('cuda')).toBe(2048 * 2 ** 20);
    process.env['LUMEN_MEMORY_BUDGET_MB'] = '100';
    expect(memoryBudgetBytes('cuda')).toBe(100 * 2 ** 20);
  });

  it("uses the settings' memory budget on the CPU, and the settings' default is the same 384 MiB", () => {
    expect(Settings.parse({}).memoryBudgetMiB).toBe(384);
    expect(memoryBudgetBytes('cpu', Settings.parse({}).memoryBudgetMiB)).toBe(memoryBudgetBytes('cpu'));
    expect(memoryBudgetBytes('cpu', 1024)).toBe(1024 * 2 ** 20);
    expect(memoryBudgetBytes('cuda', 1024)).toBe(2048 * 2 ** 20);
  });
});
