import { afterEach, describe, expect, it, vi } from 'vitest';
import { torchEnvironment, torchThreadTimeout, torchWaitDescription, torchWaitPolicy } from '../../bench/torch-worker';

describe("the environment of the benchmarks' PyTorch processes", () => {
  afterEach(() => vi.unstubAllEnvs());

  it('makes OpenMP wait passively and OpenBLAS threads sleep at once, unless the caller chose otherwise', () => {
    vi.stubEnv('OMP_WAIT_POLICY', undefined);
    vi.stubEnv('OPENBLAS_THREAD_TIMEOUT', undefined);
    expect(torchWaitPolicy()).toBe('PASSIVE');
    expect(torchThreadTimeout()).toBe('4');
    expect(torchEnvironment()).toMatchObject({ OMP_WAIT_POLICY: 'PASSIVE', OPENBLAS_THREAD_TIMEOUT: '4' });
    expect(torchWaitDescription()).toBe('OMP_WAIT_POLICY=PASSIVE, OPENBLAS_THREAD_TIMEOUT=4');

    vi.stubEnv('OMP_WAIT_POLICY', 'ACTIVE');
    vi.stubEnv('OPENBLAS_THREAD_TIMEOUT', '28');
    expect(torchEnvironment()).toMatchObject({ OMP_WAIT_POLICY: 'ACTIVE', OPENBLAS_THREAD_TIMEOUT: '28' });
  });
});
