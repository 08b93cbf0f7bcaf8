import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createApi } from '../../../../src/shared/contract/api';
import { PortTransport } from '../../../../src/shared/contract/port-transport';
import { localEnginePort } from '../../../../src/main/engine-host/local-engine';
import { spatialLayers } from '../../../../src/main/engine/attribution/layers';
import { failure } from '../../../helpers/failure';

const modelPath = fileURLToPath(new URL('../../../fixtures/models/vgg_bn/model.onnx', import.meta.url));
const input = { kind: 'tensor' as const, dims: [1, 3, 32, 32], data: new Float32Array(3 * 32 * 32).map((_, i) => Math.cos(i * 0.21)) };

function engineWithApi() {
  const local = localEnginePort({ graphCacheDir: null });
  return { ...local, api: createApi(new PortTransport(local.port)) };
}

describe('CAM layers resolved once per open model', () => {
  const warm = engineWithApi();
  const fresh = engineWithApi();
  afterAll(async () => {
    await warm.close();
    await fresh.close();
  });

  it('keeps the default and each named layer apart, and does not keep a refused name', async () => {
    const { id } = await warm.api.call('models.open', { path: modelPath });
    const layers = await spatialLayers(warm.engine.models.get(id));
    const other = layers.find((l) => !l.isDefault)!;
    const defaultLayer = layers.find((l) => l.isDefault)!;

    const byDefault = await warm.api.call('attribute', { modelId: id, input, method: 'grad-cam', target: 2 });
    const named = await warm.api.call('attribute', { modelId: id, input, method: 'grad-cam', target: 2, params: { layer: defaultLayer.name } });
    expect(Array.from(named.data)).toEqual(Array.from(byDefault.data));

    // The other layer, asked for after the default was resolved, is that layer's map, as an engine that never saw the default gives it.
    const otherMap = await warm.api.call('attribute', { modelId: id, input, method: 'grad-cam', target: 2, params: { layer: other.name } });
    const { id: freshId } = await fresh.api.call('models.open', { path: modelPath });
    const expected = await fresh.api.call('attribute', { modelId: freshId, input, method: 'grad-cam', target: 2, params: { layer: other.name } });
    expect(Array.from(otherMap.data)).toEqual(Array.from(expected.data));
    expect(Array.from(otherMap.data)).not.toEqual(Array.from(byDefault.data));

    for (let i = 0; i < 2; i++) {
      const error = await failure(warm.api.call('attribute', { modelId: id, input, method: 'grad-cam', target: 2, params: { layer: 'no-such-tensor' } }));
      expect(error.message).toBe('There is no tensor named "no-such-tensor" in the model.');
    }
  });
});
