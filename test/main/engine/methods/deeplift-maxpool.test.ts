import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { decodeModel } from '../../../../src/main/engine/onnx/decode';
import { encodeNpy } from '../../../../src/main/engine/io/npy';
import { testApi } from '../../../helpers/engine';
import { openTestModel } from '../../../helpers/image-models';
import { tempDir } from '../../../helpers/tiny-models';

/** Written by tools/fixtures/make_deeplift_fixtures.py: DeepLIFT in PyTorch with MaxPool as a plain gradient. */
const fixtures = new URL('../../../fixtures/deeplift/', import.meta.url);
const reference = JSON.parse(readFileSync(new URL('maxpool-gradient.json', fixtures), 'utf8')) as {
  dims: number[];
  input: number[];
  baseline: number[];
  target: number;
  attributions: number[];
  attributionSum: number;
  outputDifference: number;
};

describe('DeepLIFT through a MaxPool fed by a ReLU (conv-relu-maxpool-conv-relu-linear)', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let modelId: string;
  let baseline: string;
  beforeAll(async () => {
    ({ api, close } = testApi());
    modelId = await openTestModel(api, decodeModel(new Uint8Array(readFileSync(new URL('model.onnx', fixtures)))), 'deeplift-maxpool');
    baseline = join(tempDir(), 'baseline.npy');
    writeFileSync(baseline, encodeNpy({ shape: reference.dims, data: Float32Array.from(reference.baseline) }));
  });
  afterAll(() => close());

  const deeplift = (maxPool?: string) =>
    api.call('attribute', {
      modelId,
      input: { kind: 'tensor', dims: reference.dims, data: Float32Array.from(reference.input) },
      method: 'deeplift',
      target: reference.target,
      params: { baseline, ...(maxPool ? { maxPool } : {}) },
    });

  it('"gradient" reproduces the PyTorch reference of Captum\'s output, which does not add up to f(x) − f(baseline)', async () => {
    const r = await deeplift('gradient');
    const scale = Math.max(...reference.attributions.map(Math.abs));
    reference.attributions.forEach((v, i) => expect(Math.abs(r.data[i]! - v) / scale).toBeLessThan(1e-5));
    expect(r.figures['outputDifference']).toBeCloseTo(reference.outputDifference, 5);
    expect(r.figures['attributionSum']).toBeCloseTo(reference.attributionSum, 5);
    expect(Math.abs(reference.attributionSum - reference.outputDifference)).toBeGreaterThan(0.01);
  });

  it('"rescale" (the default) adds up to f(x) − f(baseline), and differs from "gradient"', async () => {
    const [byDefault, rescale] = [await deeplift(), await deeplift('rescale')];
    expect(Array.from(byDefault.data)).toEqual(Array.from(rescale.data));
    expect(rescale.params['maxPool']).toBe('rescale');
    expect(rescale.figures['attributionSum']).toBeCloseTo(reference.outputDifference, 5);
    expect(rescale.figures['summationToDeltaError']).toBeLessThan(1e-5);
    const differs = reference.attributions.some((v, i) => Math.abs(rescale.data[i]! - v) > 1e-3);
    expect(differs).toBe(true);
  });

  it('a misspelt rule is refused with the choices', async () => {
    await expect(deeplift('max')).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/maxPool/) });
  });
});
