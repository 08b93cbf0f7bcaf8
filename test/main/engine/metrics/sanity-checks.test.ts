import { describe, expect, it } from 'vitest';
import { decodeModel } from '../../../../src/main/engine/onnx/decode';
import { floatValues } from '../../../../src/main/engine/onnx/tensor-values';
import { parameterisedLayers, randomiseLayers } from '../../../../src/main/engine/metrics/randomise-layers';
import { defaultModelPath } from '../../../../src/main/engine/resources';
import { readFileSync } from 'node:fs';
import { useBundledModel } from '../../../helpers/engine';

describe('layer randomisation', () => {
  const model = decodeModel(new Uint8Array(readFileSync(defaultModelPath())));
  const layers = parameterisedLayers(model);

  it('finds the learned layers of MobileNetV2 input to output, the classifier last', () => {
    expect(layers.length).toBeGreaterThan(50);
    expect(layers[0]!.opType).toBe('Conv');
    expect(['Gemm', 'MatMul', 'Conv']).toContain(layers.at(-1)!.opType);
  });

  it('re-initialises only the chosen layers, uniformly within ±1/sqrt(fan_in), reproducibly', () => {
    const last = layers.length - 1;
    const a = randomiseLayers(model, layers, new Set([last]), 42);
    const b = randomiseLayers(model, layers, new Set([last]), 42);
    const tensor = (m: typeof model, name: string) => floatValues(m.graph.initializers.find((t) => t.name === name)!);
    const weight = layers[last]!.weight;
    const same = (x: Float32Array, y: Float32Array): boolean => Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
    expect(same(tensor(a, weight), tensor(b, weight))).toBe(true);
    expect(same(tensor(a, weight), tensor(model, weight))).toBe(false);
    const dims = model.graph.initializers.find((t) => t.name === weight)!.dims;
    const fanIn = layers[last]!.opType === 'Conv' ? dims.slice(1).reduce((x, y) => x * y, 1) : Math.min(...dims);
    const bound = 1 / Math.sqrt(fanIn);
    const values = tensor(a, weight);
    expect(values.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeLessThanOrEqual(bound);
    // Uniform on ±bound: the mean absolute value is about bound / 2.
    expect(values.reduce((m, v) => m + Math.abs(v), 0) / values.length).toBeCloseTo(bound / 2, 2);
    // The first layer is untouched.
    expect(same(tensor(a, layers[0]!.weight), tensor(model, layers[0]!.weight))).toBe(true);
  });
});

describe('sanity checks on the bundled MobileNetV2', () => {
  const bundled = useBundledModel('coffee');
  const check = (method: string, steps: number) =>
    bundled.api.call('evaluate', { modelId: bundled.modelId, input: { kind: 'image', imageId: bundled.imageId }, method, metrics: [{ metric: 'sanity-checks', params: { steps } }] }).then((r) => r.metrics[0]!);

  it('gradient and Grad-CAM maps lose their similarity as the model is randomised from the top', async () => {
    for (const method of ['gradient', 'grad-cam']) {
      const t0 = performance.now();
      const result = await check(method, 3);
      const curves = Object.fromEntries(result.curves.map((c) => [c.name, c.y]));
      console.info(`${method}: cascading randomisation in ${(performance.now() - t0).toFixed(0)} ms, spearman-abs ${curves['spearman-abs']!.map((v) => v.toFixed(3)).join(' -> ')}, ssim ${curves['ssim']!.map((v) => v.toFixed(3)).join(' -> ')}, hog ${curves['hog']!.map((v) => v.toFixed(3)).join(' -> ')}`);
      expect(result.curves.map((c) => c.name)).toEqual(['spearman', 'spearman-abs', 'ssim', 'hog']);
      expect(result.curves[0]!.labels).toHaveLength(3);
      expect(result.score).toBeLessThan(0.5);
    }
  });

  it('the edge detector, which ignores the model, stays identical: the check can fail', async () => {
    const result = await check('edge-detector', 2);
    for (const curve of result.curves) curve.y.forEach((v) => expect(v, curve.name).toBeCloseTo(1, 9));
    expect(result.score).toBeCloseTo(1, 9);
  });
});
