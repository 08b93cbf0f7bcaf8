import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../../src/shared/contract/api';
import { decodeModel } from '../../../../../src/main/engine/onnx/decode';
import { testApi } from '../../../../helpers/engine';
import { openTestModel } from '../../../../helpers/image-models';

/** Written by tools/fixtures/make_cam_fixtures.py: pytorch-grad-cam's formula on a small PyTorch CNN. */
interface CamCase {
  name: string;
  model: string;
  layer: string;
  target: number;
  dims: number[];
  input: number[];
  medianSquaredGradient: number;
  stabiliserDominatedFraction: number;
  map: number[];
  'mapWithStabiliser1e-7': number[];
}
const fixtures = new URL('../../../../fixtures/cam/', import.meta.url);
const { cases } = JSON.parse(readFileSync(new URL('grad-cam-plus-plus.json', fixtures), 'utf8')) as { cases: CamCase[] };

/** max |a - b| over max |b|: the maps' scale differs by orders of magnitude between the cases. */
function relativeError(a: ArrayLike<number>, b: number[]): number {
  const scale = Math.max(...b.map(Math.abs));
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst / scale;
}

describe('Grad-CAM++ against pytorch-grad-cam\'s formula (stabiliser 1e-6)', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  beforeAll(() => ({ api, close } = testApi()));
  afterAll(() => close());

  const attribute = async (c: CamCase) => {
    const id = await openTestModel(api, decodeModel(new Uint8Array(readFileSync(new URL(c.model, fixtures)))), `campp-${c.name}`);
    return api.call('attribute', { modelId: id, input: { kind: 'tensor', dims: c.dims, data: Float32Array.from(c.input) }, method: 'grad-cam-plus-plus', target: c.target, params: { layer: c.layer } });
  };

  it('ordinary gradients: the same map, and no note (the stabiliser dominates at a minority of positions)', async () => {
    const c = cases.find((k) => k.name === 'ordinary')!;
    expect(c.stabiliserDominatedFraction).toBeLessThan(0.5);
    const r = await attribute(c);
    expect(r.dims).toEqual([1, 1, 8, 8]);
    expect(relativeError(r.data, c.map)).toBeLessThan(1e-4);
    expect(r.figures['stabiliserDominatedFraction']).toBeCloseTo(c.stabiliserDominatedFraction, 2);
    expect(r.notes.join(' ')).not.toMatch(/stabiliser/);
  });

  it('tiny gradients (g^2 about 1e-7, as on MobileNetV3-Small): the constant decides the map; Lumen matches 1e-6, not 1e-7, and says so', async () => {
    const c = cases.find((k) => k.name === 'tiny')!;
    expect(c.medianSquaredGradient).toBeLessThan(1e-6);
    // The fixture shows why the constant matters: 1e-7 gives a visibly different map.
    expect(relativeError(c['mapWithStabiliser1e-7'], c.map)).toBeGreaterThan(0.5);
    const r = await attribute(c);
    expect(relativeError(r.data, c.map)).toBeLessThan(1e-4);
    expect(r.figures['stabiliserDominatedFraction']).toBeCloseTo(c.stabiliserDominatedFraction, 2);
    expect(r.figures['stabiliserDominatedFraction']).toBeGreaterThan(0.5);
    expect(r.notes).toContainEqual(expect.stringMatching(/^Grad-CAM\+\+: the stabiliser \(0\.000001\) is larger than the rest of the alpha denominator at 88% of the positions/));
  });
});
