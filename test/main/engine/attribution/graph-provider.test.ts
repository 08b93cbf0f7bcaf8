import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createApi } from '../../../../src/shared/contract/api';
import { PortTransport } from '../../../../src/shared/contract/port-transport';
import { localEnginePort } from '../../../../src/main/engine-host/local-engine';
import { AttributionService } from '../../../../src/main/engine/attribution/attribution-service';
import { GraphCache } from '../../../../src/main/engine/attribution/graph-cache';
import { gradientRuleSet } from '../../../../src/main/engine/autodiff/rule-set';
import { probeExecutionProviders } from '../../../../src/main/engine/runtime/execution-providers';
import { SessionPool } from '../../../../src/main/engine/runtime/session-pool';

/** A small CNN (VGG with BatchNorm, 32 x 32). */
const modelPath = fileURLToPath(new URL('../../../fixtures/models/vgg_bn/model.onnx', import.meta.url));

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('the execution provider of an attribution graph', () => {
  // Lumen's Linux onnxruntime has no CUDA provider (and CI has no GPU): asking for CUDA falls back
  // to CPU for real. A model whose forward pass reports CUDA stands for an accelerator that took
  // the model but not the attribution graph.
  it('is the one its session really got: a graph that fell back runs on the CPU budget and says so in the result', async (context) => {
    if (process.platform !== 'linux') return context.skip(`a CUDA request falls back to the CPU for certain only on Linux; this is ${process.platform}`);
    if ((await probeExecutionProviders()).find((p) => p.name === 'cuda')?.available) return context.skip('CUDA is available here, so the graph would not fall back to the CPU');
    const { port, engine, close } = localEnginePort({ graphCacheDir: null });
    closers.push(close);
    const api = createApi(new PortTransport(port));
    const opened = await api.call('models.open', { path: modelPath, executionProvider: 'cpu' });
    const onCpu = engine.models.get(opened.id);
    const onCuda = { ...onCpu, executionProvider: { requested: 'cuda' as const, used: 'cuda' as const } };
    const pool = new SessionPool();
    closers.push(() => pool.releaseAll());
    // A CPU budget of 1 MiB, far below an accelerator's: the two budgets give different row counts.
    const service = new AttributionService(pool, new GraphCache(null), 1);

    const cpuGraph = (await service.graphFor(onCpu, gradientRuleSet, 'logit', {})).graph;
    const cudaGraph = (await service.graphFor(onCuda, gradientRuleSet, 'logit', {})).graph;
    expect(cpuGraph.providerNote).toBeUndefined();
    expect(cudaGraph.providerNote).toMatch(/^The attribution graph runs on CPU, not on CUDA like the model's forward pass \(cuda: .+; using CPU\)\.$/);
    // Budgeted as a CPU run, not with an accelerator's far larger budget.
    expect(cpuGraph.rowsPerRun).toBeLessThan(64);
    expect(cudaGraph.rowsPerRun).toBe(cpuGraph.rowsPerRun);

    const input = new Float32Array(3 * 32 * 32).map((_, i) => Math.sin(i * 0.37));
    const outcome = await service.attribute({ model: onCuda, input, method: 'gradient', target: 3 });
    expect(outcome.notes).toContain(cudaGraph.providerNote);
    const honest = await service.attribute({ model: onCpu, input, method: 'gradient', target: 3 });
    expect(honest.notes.some((n) => n.includes('attribution graph runs on'))).toBe(false);
    expect(Array.from(outcome.data)).toEqual(Array.from(honest.data));
  });
});
