import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../../../../src/main/engine/onnx/decode';
import { parseNpy, toFloat32 } from '../../../../src/main/engine/io/npy';
import type { Objective } from '../../../../src/main/engine/autodiff/objective';
import { compiledRunner } from '../../../helpers/compiled-runner';
import { deepLiftRuleSet } from '../../../../src/main/engine/autodiff/rule-sets/deeplift';
import { compositeRuleSet } from '../../../../src/main/engine/autodiff/lrp/composites';
import { relativeL2 } from '../../../helpers/fixture-arrays';

/**
 * Whole models against PyTorch autograd: the fixtures (tools/fixtures/make_gradient_fixtures.py)
 * hold torchvision architectures with seeded random weights, their inputs, targets, logits and the
 * float64 autograd gradient of three objectives.
 */
const root = new URL('../../../fixtures/', import.meta.url);
const npy = (path: string): { data: Float32Array; shape: number[] } => {
  const array = parseNpy(new Uint8Array(readFileSync(new URL(path, root))), path);
  return { data: toFloat32(array), shape: array.shape };
};

const fixtures = ['resnet', 'vgg_bn', 'squeezenet', 'densenet', 'mobilenet_v3', 'efficientnet', 'convnext', 'vit'];
const objectives: Array<[Objective, string]> = [
  ['logit', 'grad_logit.npy'],
  ['probability', 'grad_prob.npy'],
  ['log-probability', 'grad_logprob.npy'],
];

describe('whole-model gradients vs PyTorch autograd (relative L2 <= 1e-4)', () => {
  for (const name of fixtures) {
    describe(name, () => {
      const meta = JSON.parse(readFileSync(new URL(`models/${name}/meta.json`, root), 'utf8')) as { opset: number; dynamicBatch: boolean; numClasses: number };
      const targets = JSON.parse(readFileSync(new URL(`models/${name}/targets.json`, root), 'utf8')) as number[];
      const model = decodeModel(new Uint8Array(readFileSync(new URL(`models/${name}/model.onnx`, root))));
      const input = npy(`models/${name}/input.npy`);
      const batch = input.shape[0]!;
      const seeds = new Float32Array(batch * meta.numClasses);
      targets.forEach((t, b) => (seeds[b * meta.numClasses + t] = 1));

      for (const [objective, file] of objectives) {
        it(`opset ${meta.opset}, ${meta.dynamicBatch ? `batch ${batch}` : 'batch 1 baked in'}: ${objective}`, async () => {
          const runner = await compiledRunner(model, [1, ...input.shape.slice(1)], { objective, output: 'logits', inputName: 'input' });
          const { gradient, outputs } = await runner.run(input.data, seeds, undefined, batch);
          expect(relativeL2(gradient, npy(`models/${name}/${file}`).data)).toBeLessThanOrEqual(1e-4);
          if (objective === 'logit') {
            expect(relativeL2(outputs['logits']!.data as Float32Array, npy(`models/${name}/logits.npy`).data)).toBeLessThanOrEqual(1e-4);
          }
        });
      }
    });
  }

  it('a batch baked into Reshape constants is made dynamic (vgg_bn), rows stay independent', async () => {
    const model = decodeModel(new Uint8Array(readFileSync(new URL('models/vgg_bn/model.onnx', root))));
    const runner = await compiledRunner(model, [1, 3, 32, 32], { output: 'logits', inputName: 'input' });
    expect(runner.compiled.batchable).toBe(true);
    expect(runner.compiled.notes).toContain('Model batch axis made dynamic.');
    const x = npy('models/vgg_bn/input.npy').data;
    const two = new Float32Array(x.length * 2);
    two.set(x);
    two.set(x.map((v) => -v), x.length);
    const seed = new Float32Array(20);
    seed[3] = 1;
    seed[13] = 1;
    const both = await runner.run(two, seed, undefined, 2);
    const first = await runner.run(x, seed.subarray(0, 10));
    expect(relativeL2(both.gradient.subarray(0, x.length), first.gradient)).toBeLessThan(1e-5);
  });

  it('a batch baked where it cannot be recovered (vit: attention reshapes fold the batch into other axes) runs one row at a time, and says so', async () => {
    const model = decodeModel(new Uint8Array(readFileSync(new URL('models/vit/model.onnx', root))));
    const runner = await compiledRunner(model, [1, 3, 32, 32], { output: 'logits', inputName: 'input' });
    expect(runner.compiled.batchable).toBe(false);
    expect(runner.compiled.notes.join(' ')).toMatch(/runs one image at a time/);
  });
});

describe('DeepLIFT summation-to-delta on every architecture (zero reference)', () => {
  // Exact rules for products, quotients, softmax and (decomposed) normalisation keep the sum exact
  // beyond plain ReLU networks: squeeze-excitation, SiLU, LayerNorm, attention.
  for (const name of fixtures) {
    it(name, async () => {
      const model = decodeModel(new Uint8Array(readFileSync(new URL(`models/${name}/model.onnx`, root))));
      const input = npy(`models/${name}/input.npy`);
      const per = input.data.length / input.shape[0]!;
      const x = input.data.subarray(0, per);
      const runner = await compiledRunner(model, [1, ...input.shape.slice(1)], { rules: deepLiftRuleSet, output: 'logits', inputName: 'input' });
      const seed = new Float32Array(10);
      seed[3] = 1;
      const reference = new Float32Array(per);
      const atInput = await runner.run(x, seed, reference);
      const atReference = await runner.run(reference, seed, reference);
      let total = 0;
      for (let i = 0; i < per; i++) total += atInput.gradient[i]! * x[i]!;
      const delta = atInput.objective[0]! - atReference.objective[0]!;
      expect(Math.abs(total - delta)).toBeLessThanOrEqual(1e-4 * Math.max(Math.abs(delta), 1e-3));
    });
  }
});

describe('LRP (epsilon-plus-flat) on the convolutional architectures', () => {
  for (const name of ['resnet', 'vgg_bn', 'squeezenet', 'densenet', 'mobilenet_v3', 'efficientnet']) {
    it(`${name}: finite relevance, roughly conserved with z+ ignoring biases (the dense layers' biases absorb some)`, async () => {
      const model = decodeModel(new Uint8Array(readFileSync(new URL(`models/${name}/model.onnx`, root))));
      const input = npy(`models/${name}/input.npy`);
      const per = input.data.length / input.shape[0]!;
      const runner = await compiledRunner(model, [1, ...input.shape.slice(1)], { rules: compositeRuleSet('epsilon-plus-flat', { startRelevance: 'output', zPlusBias: 'ignore' }), output: 'logits', inputName: 'input' });
      const seed = new Float32Array(10);
      seed[3] = 1;
      const { gradient, objective } = await runner.run(input.data.subarray(0, per), seed);
      let total = 0;
      for (const v of gradient) {
        expect(Number.isFinite(v)).toBe(true);
        total += v;
      }
      expect(Math.abs(total - objective[0]!)).toBeLessThan(Math.abs(objective[0]!));
    });
  }

  it('names the layer it has no rule for (ConvNeXt LayerNormalization) instead of guessing', async () => {
    const model = decodeModel(new Uint8Array(readFileSync(new URL('models/convnext/model.onnx', root))));
    await expect(compiledRunner(model, [1, 3, 64, 64], { rules: compositeRuleSet('epsilon-plus-flat'), output: 'logits', inputName: 'input' })).rejects.toMatchObject({
      message: expect.stringMatching(/^LRP \(epsilon-plus-flat\) has no rule for the LayerNormalization operator/),
    });
  });
});

describe('the bundled MobileNetV2 vs PyTorch autograd (tools/fixtures/onnx_torch.py)', () => {
  const model = decodeModel(new Uint8Array(readFileSync(new URL('../../resources/models/mobilenet_v2_1.0_224/model.onnx', root))));
  it('input gradient and the gradient at the last feature map (the Grad-CAM layer)', async () => {
    const x = npy('default-model/grad-x.npy');
    const runner = await compiledRunner(model, [1, 3, 224, 224], { output: 'logits', inputName: 'input', taps: ['features'] });
    const seed = new Float32Array(1000);
    seed[967] = 1;
    const { gradient, outputs } = await runner.run(x.data, seed);
    // onnxruntime computes in float32, and so does the reference this bound applies to; against the
    // float64 reference, ReLU6 units at their clip bounds flip under float32 rounding (3e-3 here,
    // for PyTorch's own float32 gradient too).
    expect(relativeL2(gradient, npy('default-model/grad-logit-967-f32.npy').data)).toBeLessThanOrEqual(1e-4);
    expect(relativeL2(gradient, npy('default-model/grad-logit-967.npy').data)).toBeLessThanOrEqual(1e-2);
    expect(relativeL2(outputs['lumen_tap_value_0']!.data as Float32Array, npy('default-model/features.npy').data)).toBeLessThanOrEqual(1e-5);
    expect(relativeL2(outputs['lumen_tap_gradient_0']!.data as Float32Array, npy('default-model/grad-features-967.npy').data)).toBeLessThanOrEqual(1e-5);
  });
});
