import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../../src/shared/contract/api';
import { occlusionWindow } from '../../../../../src/main/engine/methods/perturbation/occlusion-window';
import { testApi } from '../../../../helpers/engine';
import { graphModel } from '../../../../helpers/compiled-runner';
import { tempDir, writeModel } from '../../../../helpers/tiny-models';

describe('occlusionWindow', () => {
  it('scales 16 / 8 px at 224 px with the shorter side, and keeps explicit values', () => {
    expect(occlusionWindow(28, 28, {})).toEqual({ window: 2, stride: 1 });
    expect(occlusionWindow(224, 224, {})).toEqual({ window: 16, stride: 8 });
    expect(occlusionWindow(2048, 2048, {})).toEqual({ window: 146, stride: 73 });
    expect(occlusionWindow(2048, 224, {})).toEqual({ window: 16, stride: 8 });
    expect(occlusionWindow(2048, 2048, { window: 16 })).toEqual({ window: 16, stride: 73 });
    expect(occlusionWindow(28, 28, { window: 7, stride: 7 })).toEqual({ window: 7, stride: 7 });
  });
});

// 2048 px is checked by occlusionWindow above: 785 forward passes of a 4 MP input take minutes here.
describe('occlusion through the engine at 28 and 224 px', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  beforeAll(() => ({ api, close } = testApi()));
  afterAll(() => close());

  /** score = mean of the image: each window's drop is its share of the sum. */
  async function meanModel(side: number): Promise<string> {
    const model = graphModel(
      [
        { opType: 'GlobalAveragePool', inputs: ['x'], outputs: ['p'] },
        { opType: 'Flatten', inputs: ['p'], outputs: ['scores'] },
      ],
      [],
      ['N', 1, side, side],
    );
    const path = writeModel(tempDir(), `mean${side}.onnx`, model, { [`mean${side}.card.json`]: JSON.stringify({ preprocess: { resize: { mode: 'stretch' }, mean: [0], std: [1], scale: 1 } }) });
    return (await api.call('models.open', { path })).id;
  }

  it.each([
    [28, 2, 1, 27 * 27],
    [224, 16, 8, 27 * 27],
  ])('%i px: window %i, stride %i, %i windows', async (side, window, stride, windows) => {
    const modelId = await meanModel(side);
    const data = new Float32Array(side * side).fill(1);
    const r = await api.call('attribute', { modelId, input: { kind: 'tensor', dims: [1, 1, side, side], data }, method: 'occlusion', target: 0, params: {} });
    expect(r.figures).toMatchObject({ window, stride, windows });
    // Every pixel is covered, and on a flat image every window drops the mean by window² / side².
    expect(r.data[0]).toBeCloseTo((window * window) / (side * side), 5);
    expect(r.data[side * side - 1]).toBeCloseTo((window * window) / (side * side), 5);
  });

  it('explicit window and stride are used as given', async () => {
    const modelId = await meanModel(28);
    const r = await api.call('attribute', { modelId, input: { kind: 'tensor', dims: [1, 1, 28, 28], data: new Float32Array(28 * 28).fill(1) }, method: 'occlusion', target: 0, params: { window: 7, stride: 7 } });
    expect(r.figures).toMatchObject({ window: 7, stride: 7, windows: 16 });
  });
});
