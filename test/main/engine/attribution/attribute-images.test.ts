import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenModelParams } from '../../../../src/shared/contract/requests';
import { Engine } from '../../../../src/main/engine/engine';
import { methods } from '../../../../src/main/engine/methods/registry';
import type { LoadedModel } from '../../../../src/main/engine/model/model-registry';
import { tempDir } from '../../../helpers/tiny-models';

process.env['LUMEN_HOME'] ??= tempDir('lumen-home-');

const modelPath = fileURLToPath(new URL('../../../fixtures/models/vgg_bn/model.onnx', import.meta.url));

/**
 * Parameters that keep each method quick, and Grad-CAM without its ReLU (on this tiny model and
 * these inputs, both classes' maps are all negative: zero after it); the others run with defaults.
 */
const quick: Record<string, Record<string, unknown>> = { 'integrated-gradients': { steps: 6 }, 'grad-cam': { relu: false } };

function relativeDifference(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(a[i]!), Math.abs(b[i]!));
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  }
  return worst / Math.max(scale, 1e-30);
}

describe('attributing several images, each for its own class, in shared runs', () => {
  let engine: Engine;
  let model: LoadedModel;
  beforeAll(async () => {
    engine = new Engine({ graphCacheDir: null });
    const summary = await engine.handlers['models.open'](OpenModelParams.parse({ path: modelPath }), { requestId: 'test', signal: new AbortController().signal });
    model = engine.models.get(summary.id);
  }, 60_000);
  afterAll(() => engine.dispose());

  const inputs = [0.21, 0.37, 0.53].map((f) => new Float32Array(3 * 32 * 32).map((_, i) => Math.cos(i * f)));
  const targets = [3, 7, 3];
  const batched = methods.filter((m) => m.perInputTargets).map((m) => m.id);

  it('covers the gradient methods, the Grad-CAM family and Integrated Gradients', () => {
    expect(batched).toEqual(expect.arrayContaining(['gradient', 'gradient-x-input', 'guided-backprop', 'deconvnet', 'grad-cam', 'grad-cam-plus-plus', 'layer-cam', 'integrated-gradients']));
  });

  it.each(methods.map((m) => m.id).filter((id) => ['gradient', 'gradient-x-input', 'guided-backprop', 'deconvnet', 'grad-cam', 'grad-cam-plus-plus', 'layer-cam', 'integrated-gradients', 'smoothgrad'].includes(id)))(
    '%s: each image gets the map it gets alone, for its own class',
    async (method) => {
      const params = quick[method] ?? {};
      const together = await engine.attributions.attributeImages(model, inputs, targets, method, params, {});
      expect(together.maps).toHaveLength(inputs.length);
      for (const [i, input] of inputs.entries()) {
        const alone = await engine.attributions.attribute({ model, input, method, target: targets[i]!, params });
        expect(together.maps[i], `image ${i}`).toHaveLength(alone.data.length);
        expect(relativeDifference(together.maps[i]!, alone.data), `image ${i}`).toBeLessThan(1e-4);
      }
      // The class matters: image 0 for class 7 is another map (so the comparison above could fail).
      const other = await engine.attributions.attribute({ model, input: inputs[0]!, method, target: 7, params });
      expect(relativeDifference(together.maps[0]!, other.data)).toBeGreaterThan(1e-3);
      expect(together.params).toMatchObject(params);
    },
    60_000,
  );
});
