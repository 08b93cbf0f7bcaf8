import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultIntraOpThreads, withIntraOpThreads } from '../../../../src/main/engine/runtime/intra-op-threads';

describe('intra-op threads', () => {
  it("names one thread per CPU this process may use when the caller leaves it to onnxruntime (0 or unset)", () => {
    expect(defaultIntraOpThreads()).toBe(Math.max(1, availableParallelism()));
    expect(withIntraOpThreads({}).intraOpNumThreads).toBe(defaultIntraOpThreads());
    expect(withIntraOpThreads({ intraOpNumThreads: 0 }).intraOpNumThreads).toBe(defaultIntraOpThreads());
  });

  it('keeps a thread count given by the settings or the command line', () => {
    expect(withIntraOpThreads({ intraOpNumThreads: 3 }).intraOpNumThreads).toBe(3);
  });

  it('turns spinning off unless asked for, and keeps the other options', () => {
    const plain = withIntraOpThreads({ graphOptimizationLevel: 'all', logSeverityLevel: 4 });
    expect(plain).toMatchObject({ graphOptimizationLevel: 'all', logSeverityLevel: 4, extra: { session: { 'intra_op.allow_spinning': '0' } } });
    const asked = withIntraOpThreads({ extra: { session: { 'intra_op.allow_spinning': '1', 'session.use_env_allocators': '1' } } });
    expect(asked.extra).toEqual({ session: { 'intra_op.allow_spinning': '1', 'session.use_env_allocators': '1' } });
  });
});
