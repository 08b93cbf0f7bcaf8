import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createApi, type LumenApi } from '../../../../src/shared/contract/api';
import { PortTransport } from '../../../../src/shared/contract/port-transport';
import { localEnginePort } from '../../../../src/main/engine-host/local-engine';
import type { Engine } from '../../../../src/main/engine/engine';

/** A small CNN (VGG with BatchNorm, 32 x 32, batch 1) with a spatial feature map for Grad-CAM. */
const modelPath = fileURLToPath(new URL('../../../fixtures/models/vgg_bn/model.onnx', import.meta.url));

const opened: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((close) => close()));
});

function engineWith(precompileDefaults: boolean): { api: LumenApi; engine: Engine } {
  // Graphs in memory only: what is measured is this engine's own precompilation, not a disk cache.
  const { port, engine, close } = localEnginePort({ graphCacheDir: null, precompileDefaults });
  opened.push(close);
  return { api: createApi(new PortTransport(port)), engine };
}

/** A deterministic, non-constant input for the model. */
function input(): { kind: 'tensor'; dims: number[]; data: Float32Array } {
  const data = new Float32Array(3 * 32 * 32);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.37) + 0.1 * Math.cos(i * 0.011);
  return { kind: 'tensor', dims: [1, 3, 32, 32], data };
}

const explain = (api: LumenApi, modelId: string, method: string, params: Record<string, unknown> = {}) =>
  api.call('attribute', { modelId, input: input(), method, params, target: 3 });

describe('precompiling the default methods when the workstation opens a model', () => {
  it('the first Grad-CAM and Integrated Gradients after models.open and an idle wait find their graphs made, with the same maps', async () => {
    const { api, engine } = engineWith(true);
    const model = await api.call('models.open', { path: modelPath });
    // The idle wait: the background work started by models.open, reached through the engine.
    await engine.precompile(engine.models.get(model.id));
    const gradCam = await explain(api, model.id, 'grad-cam');
    const ig = await explain(api, model.id, 'integrated-gradients', { steps: 8 });
    expect(gradCam.graphSource).toEqual(['memory']);
    expect(ig.graphSource).toEqual(['memory']);
    // Gradient shares IG's graph.
    expect((await explain(api, model.id, 'gradient')).graphSource).toEqual(['memory']);

    // The same maps as an engine that compiles on first use.
    const cold = engineWith(false);
    const coldModel = await cold.api.call('models.open', { path: modelPath });
    const coldGradCam = await explain(cold.api, coldModel.id, 'grad-cam');
    const coldIg = await explain(cold.api, coldModel.id, 'integrated-gradients', { steps: 8 });
    expect(coldGradCam.graphSource).toEqual(['compiled']);
    expect(coldIg.graphSource).toEqual(['compiled']);
    expect(Array.from(gradCam.data)).toEqual(Array.from(coldGradCam.data));
    expect(Array.from(ig.data)).toEqual(Array.from(coldIg.data));
  });

  it('models.open answers before the graphs are made', async () => {
    const { api, engine } = engineWith(true);
    const model = await api.call('models.open', { path: modelPath });
    let ready = false;
    const precompiled = engine.precompile(engine.models.get(model.id)).then(() => (ready = true));
    expect(ready).toBe(false);
    await precompiled;
    expect(ready).toBe(true);
  });

  it('the CLI, where nobody waits on a click, compiles nothing it was not asked for', async () => {
    const { api, engine } = engineWith(false);
    const model = await api.call('models.open', { path: modelPath });
    await engine.precompile(engine.models.get(model.id));
    expect((await explain(api, model.id, 'grad-cam')).graphSource).toEqual(['compiled']);
  });
});
