import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type LumenApi } from '../../../../../src/shared/contract/api';
import { PortTransport } from '../../../../../src/shared/contract/port-transport';
import { localEnginePort } from '../../../../../src/main/engine-host/local-engine';
import type { Engine } from '../../../../../src/main/engine/engine';
import { decodeModel } from '../../../../../src/main/engine/onnx/decode';
import { parseNpy, toFloat32 } from '../../../../../src/main/engine/io/npy';
import { openTestModel } from '../../../../helpers/image-models';

/**
 * The gradient-weighted attention methods explain an audit's batch of images in shared runs, each
 * image for its own class (perInputTargets): every map must be the one the image gets alone.
 */
const root = new URL('../../../../fixtures/', import.meta.url);
const x = toFloat32(parseNpy(new Uint8Array(readFileSync(new URL('models/vit/input.npy', root))), 'input.npy'));
const other = x.map((v, i) => 0.6 * v + 0.3 * Math.sin(i));

describe('attention methods with a target per image', () => {
  let engine: Engine;
  let api: LumenApi;
  let close: () => Promise<void>;
  let modelId: string;
  beforeAll(async () => {
    const local = localEnginePort({ graphCacheDir: null });
    ({ engine, close } = local);
    api = createApi(new PortTransport(local.port));
    modelId = await openTestModel(api, decodeModel(new Uint8Array(readFileSync(new URL('models/vit/model.onnx', root)))), 'vit');
  });
  afterAll(() => close());

  for (const method of ['attention-generic', 'transformer-attribution']) {
    it(`${method}: two images for classes 7 and 5 in one call give each the map it gets alone`, async () => {
      const model = engine.models.get(modelId);
      const { maps } = await engine.attributions.attributeImages(model, [x, other], [7, 5], method, {}, {});
      const alone = async (input: Float32Array, target: number) =>
        (await api.call('attribute', { modelId, input: { kind: 'tensor', dims: [1, 3, 32, 32], data: input }, method, target, params: {} })).data;
      const expected = [await alone(x, 7), await alone(other, 5)];
      for (const [i, map] of maps.entries()) {
        expect(Math.max(...expected[i]!)).toBeGreaterThan(0);
        for (let p = 0; p < map.length; p++) expect(map[p]).toBeCloseTo(expected[i]![p]!, 6);
      }
      // Not the same map twice: the two images and classes differ.
      expect(Array.from(maps[0]!)).not.toEqual(Array.from(maps[1]!));
    });
  }
});
