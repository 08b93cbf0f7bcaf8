import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNpy, toFloat32 } from '../../../../src/main/engine/io/npy';
import { decodeModel } from '../../../../src/main/engine/onnx/decode';
import { floatTensor } from '../../../../src/main/engine/onnx/tensor-values';
import { compiledRunner, graphModel } from '../../../helpers/compiled-runner';
import { centralDifferences, rng } from '../../../helpers/gradient-check';
import { relativeL2 } from '../../../helpers/fixture-arrays';

/**
 * The `sigmoid` objective explains a multi-label finding's probability sigmoid(logit_k), each finding
 * on its own. References: PyTorch autograd in float64 (tools/fixtures/make_multilabel_fixtures.py)
 * and central finite differences of the compiled graph's own objective.
 */
const root = new URL('../../../fixtures/multilabel/', import.meta.url);
const npy = (name: string): { data: Float32Array; shape: number[] } => {
  const array = parseNpy(new Uint8Array(readFileSync(new URL(name, root))), name);
  return { data: toFloat32(array), shape: array.shape };
};
const model = (file: string) => decodeModel(new Uint8Array(readFileSync(new URL(file, root))));
const findings = 5;
const oneHot = (k: number): Float32Array => Float32Array.from({ length: findings }, (_, i) => (i === k ? 1 : 0));

describe('the sigmoid objective', () => {
  const input = npy('input.npy');
  const reference = npy('sigmoid_grad.npy');
  const perFinding = input.data.length;

  for (const [file, output] of [
    ['model.onnx', 'logits'],
    ['model-sigmoid.onnx', 'probabilities'],
  ] as const) {
    it(`matches PyTorch's d sigmoid(logit_k)/dx for every finding (${file}, output "${output}")`, async () => {
      const runner = await compiledRunner(model(file), [1, 1, 32, 32], { objective: 'sigmoid', output, inputName: 'input' });
      const logits = npy('logits.npy').data;
      for (let k = 0; k < findings; k++) {
        const { gradient, objective } = await runner.run(input.data, oneHot(k));
        expect(objective[0]).toBeCloseTo(1 / (1 + Math.exp(-logits[k]!)), 5);
        expect(relativeL2(gradient, reference.data.subarray(k * perFinding, (k + 1) * perFinding))).toBeLessThanOrEqual(1e-4);
      }
    });
  }

  it('says nothing on a model that ends in Sigmoid (it is the model’s own output); softmax there is noted', async () => {
    const own = await compiledRunner(model('model-sigmoid.onnx'), [1, 1, 32, 32], { objective: 'sigmoid', output: 'probabilities', inputName: 'input' });
    expect(own.compiled.notes.join(' ')).not.toMatch(/ends in Sigmoid/);
    const softmax = await compiledRunner(model('model-sigmoid.onnx'), [1, 1, 32, 32], { objective: 'probability', output: 'probabilities', inputName: 'input' });
    expect(softmax.compiled.notes.join(' ')).toMatch(/ends in Sigmoid; the objective "probability" uses the scores before it, normalised by softmax/);
  });

  it('is not the softmax probability: the gradients differ on the same model', async () => {
    const sigmoid = await compiledRunner(model('model.onnx'), [1, 1, 32, 32], { objective: 'sigmoid', output: 'logits', inputName: 'input' });
    const softmax = await compiledRunner(model('model.onnx'), [1, 1, 32, 32], { objective: 'probability', output: 'logits', inputName: 'input' });
    const a = (await sigmoid.run(input.data, oneHot(2))).gradient;
    const b = (await softmax.run(input.data, oneHot(2))).gradient;
    expect(relativeL2(b, a)).toBeGreaterThan(0.1);
  });

  it('agrees with central finite differences of its own objective, seeds mixing findings', async () => {
    // A smooth network (no ReLU or MaxPool kink within a step): x [1,12] -> MatMul -> Tanh -> MatMul + b.
    const r = rng(16);
    const weights = (n: number) => Array.from({ length: n }, () => 2 * r() - 1);
    const smooth = graphModel(
      [
        { opType: 'MatMul', inputs: ['x', 'w1'], outputs: ['h'] },
        { opType: 'Tanh', inputs: ['h'], outputs: ['t'] },
        { opType: 'MatMul', inputs: ['t', 'w2'], outputs: ['z'] },
        { opType: 'Add', inputs: ['z', 'b'], outputs: ['scores'] },
      ],
      [floatTensor('w1', [12, 6], weights(72)), floatTensor('w2', [6, findings], weights(6 * findings)), floatTensor('b', [findings], weights(findings))],
      [1, 12],
    );
    const runner = await compiledRunner(smooth, [1, 12], { objective: 'sigmoid' });
    const seed = Float32Array.from([0.7, -1.2, 0.4, 1.5, -0.3]);
    const x = Float32Array.from(weights(12));
    const { gradient } = await runner.run(x, seed);
    const fd = await centralDifferences(x, 1e-2, async (v) => (await runner.run(v, seed)).objective[0]!);
    const scale = Math.max(...Array.from(fd, Math.abs));
    expect(scale).toBeGreaterThan(1e-2);
    for (let i = 0; i < fd.length; i++) expect(Math.abs(gradient[i]! - fd[i]!), `element ${i}`).toBeLessThanOrEqual(1e-3 * scale);
  });

  it('cannot seed relevance propagation (LRP starts from a logit)', async () => {
    const { compositeRuleSet } = await import('../../../../src/main/engine/autodiff/lrp/composites');
    await expect(compiledRunner(model('model.onnx'), [1, 1, 32, 32], { objective: 'sigmoid', output: 'logits', inputName: 'input', rules: compositeRuleSet('epsilon-plus', { startRelevance: 'output' }) })).rejects.toThrow(/objective "sigmoid" cannot seed/);
  });
});
