import { afterEach, describe, expect, it, vi } from 'vitest';
import { torchEnvironment, torchThreadTimeout, torchWaitDescription, torchWaitPolicy, unfairBlas } from '../../bench/torch-worker';

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

  it('lets OpenBLAS pick the kernels of this CPU: an inherited OPENBLAS_CORETYPE is dropped, one given on purpose is kept', () => {
    vi.stubEnv('OPENBLAS_CORETYPE', 'Haswell');
    vi.stubEnv('LUMEN_BENCH_OPENBLAS_CORETYPE', undefined);
    expect(torchEnvironment()).not.toHaveProperty('OPENBLAS_CORETYPE');
    vi.stubEnv('LUMEN_BENCH_OPENBLAS_CORETYPE', 'SkylakeX');
    expect(torchEnvironment()).toMatchObject({ OPENBLAS_CORETYPE: 'SkylakeX' });
  });
});

describe('whether PyTorch is a fair baseline', () => {
  it("refuses Debian's reference BLAS and names the package that replaces it", () => {
    expect(unfairBlas(['/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0'])).toMatch(/reference BLAS .*libopenblas0-pthread/);
    expect(unfairBlas(['/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 (core Cooperlake)'])).toBeNull();
    expect(unfairBlas([])).toBeNull();
  });
});
