import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { foldConstants } from '../../../../../src/main/engine/autodiff/canonizers/fold-constants';
import { compositeRuleSet } from '../../../../../src/main/engine/autodiff/lrp/composites';
import { markTransformerRoles, roleOf, type TransformerRole } from '../../../../../src/main/engine/autodiff/lrp/transformer-patterns';
import { LumenError } from '../../../../../src/shared/errors';
import { decodeModel } from '../../../../../src/main/engine/onnx/decode';
import type { Model } from '../../../../../src/main/engine/onnx/ir';
import { compiledRunner, floatTensor, graphModel } from '../../../../helpers/compiled-runner';

/**
 * The transformer parts the LRP rules treat specially are found in real exports, written out or
 * not, and nothing else is taken for them: a nonlinearity outside those patterns is an error
 * naming what is recognised, not a silent gradient.
 */
const load = (path: string): Model => decodeModel(new Uint8Array(readFileSync(new URL(`../../../../fixtures/${path}`, import.meta.url))));

function roles(model: Model): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const node of markTransformerRoles(foldConstants(model)).graph.nodes) {
    const role = roleOf(node);
    if (role) counts[role] = (counts[role] ?? 0) + 1;
  }
  return counts;
}

describe('transformer patterns in real exports', () => {
  // Two blocks: 2 attentions, 2 GELUs, 5 LayerNorms (2 per block and the final one), and the
  // linear layers on tokens exported as MatMul + Add (the heads are Gemms, which hold their bias).
  const expected = (layerNorm: 'written-out' | 'operator', biases: number): Partial<Record<TransformerRole, number>> => ({
    'attention-0': 2,
    'gelu-gate-1': 2,
    ...(layerNorm === 'written-out' ? { 'norm-std': 5, 'norm-centre': 5 } : {}),
    ...(biases ? { 'linear-bias': biases, 'bias-add': biases } : {}),
  });

  it('the small ViT at opset 14: LayerNorm and erf-GELU written out, qkv, proj, fc1, fc2 as MatMul + Add', () => {
    expect(roles(load('attnlrp/vit_cls.opset14.onnx'))).toEqual(expected('written-out', 8));
  });
  it('the small ViT at opset 17: LayerNormalization operators, erf-GELU written out', () => {
    expect(roles(load('attnlrp/vit_cls.opset17.onnx'))).toEqual(expected('operator', 8));
  });
  it('the bias-free ViT: tanh-GELU written out, no bias to pair', () => {
    expect(roles(load('attnlrp/vit_tight.opset14.onnx'))).toEqual(expected('written-out', 0));
  });
  it("torchvision's VisionTransformer (nn.MultiheadAttention, opset 14)", () => {
    // in_proj and the two MLP layers per block; the attention's out_proj is a Gemm on flattened tokens.
    expect(roles(load('models/vit/model.onnx'))).toEqual(expected('written-out', 6));
  });
});

describe('what the transformer rules do not recognise', () => {
  const w = floatTensor('w', [4, 3], Array.from({ length: 12 }, (_, i) => (i % 5) - 2));
  const run = (nodes: Parameters<typeof graphModel>[0], extra: ReturnType<typeof floatTensor>[] = []) =>
    compiledRunner(graphModel(nodes, [w, ...extra], [1, 4]), [1, 4], { rules: compositeRuleSet('attn-lrp') });

  it('an Erf that is no GELU gate', async () => {
    const p = run([
      { opType: 'Erf', inputs: ['x'], outputs: ['e'] },
      { opType: 'MatMul', inputs: ['e', 'w'], outputs: ['scores'] },
    ]);
    await expect(p).rejects.toThrow(LumenError);
    await expect(p).rejects.toThrow(/recognise LayerNorm\/RMSNorm written out .* and GELU written out/);
  });

  it('a division by an activation that is no standard deviation', async () => {
    const p = run([
      { opType: 'Sigmoid', inputs: ['x'], outputs: ['s'] },
      { opType: 'Div', inputs: ['x', 's'], outputs: ['d'] },
      { opType: 'MatMul', inputs: ['d', 'w'], outputs: ['scores'] },
    ]);
    await expect(p).rejects.toThrow(/divides by a constant or by a normalisation's standard deviation/);
  });

  it('a product x * (1 + erf(x / sqrt 2)) is GELU: relevance passes to x whole', async () => {
    const c = (name: string, v: number) => floatTensor(name, [], [v]);
    const runner = await run(
      [
        { opType: 'Div', inputs: ['x', 'sqrt2'], outputs: ['xs'] },
        { opType: 'Erf', inputs: ['xs'], outputs: ['e'] },
        { opType: 'Add', inputs: ['e', 'one'], outputs: ['gate'] },
        { opType: 'Mul', inputs: ['x', 'gate'], outputs: ['xg'] },
        { opType: 'Mul', inputs: ['xg', 'half'], outputs: ['gelu'] },
        { opType: 'MatMul', inputs: ['gelu', 'w'], outputs: ['scores'] },
      ],
      [c('sqrt2', Math.SQRT2), c('one', 1), c('half', 0.5)],
    );
    const x = new Float32Array([0.7, -1.2, 2.5, 0.3]);
    const seed = new Float32Array([0, 1, 0]);
    const { gradient } = await runner.run(x, seed);
    // Identity on GELU, epsilon on the bias-free MatMul: R_i = gelu(x_i) w_i1 / sum_k gelu(x_k) w_k1.
    const gelu = Array.from(x, (v) => (v / 2) * (1 + erf(v / Math.SQRT2)));
    const column = [0, 1, 2, 3].map((i) => (((i * 3 + 1) % 5) - 2));
    const z = gelu.reduce((s, g, i) => s + g * column[i]!, 0);
    gelu.forEach((g, i) => expect(gradient[i]).toBeCloseTo((g * column[i]!) / z, 5));
  });

  it('a product of two activations outside attention: AttnLRP splits it and conserves, CP-LRP refuses it', async () => {
    // scores = (x (x^T x)) W: two bilinear products of the input with itself, no bias anywhere.
    const nodes = [
      { opType: 'Transpose', inputs: ['x'], outputs: ['t'], attributes: [{ name: 'perm', type: 7, ints: [1, 0] }] },
      { opType: 'MatMul', inputs: ['t', 'x'], outputs: ['gram'] },
      { opType: 'MatMul', inputs: ['x', 'gram'], outputs: ['mixed'] },
      { opType: 'MatMul', inputs: ['mixed', 'w'], outputs: ['scores'] },
    ];
    const runner = await run(nodes);
    const { gradient } = await runner.run(new Float32Array([0.7, -1.2, 2.5, 0.3]), new Float32Array([0, 1, 0]));
    // Each uniform split gives both operands half of x * grad: by Euler's theorem they add up to the relevance.
    expect(gradient.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    await expect(compiledRunner(graphModel(nodes, [w], [1, 4]), [1, 4], { rules: compositeRuleSet('cp-lrp') })).rejects.toThrow(/not attention times values/);
  });

  it('the Zennit composites still refuse attention (no silent gradient)', async () => {
    const model = load('attnlrp/vit_cls.opset17.onnx');
    await expect(compiledRunner(model, [1, 3, 16, 16], { rules: compositeRuleSet('epsilon-plus-flat'), output: 'logits', inputName: 'input' })).rejects.toThrow(/has no rule for the (LayerNormalization|Softmax|Erf|Div) operator/);
  });
});

/** Abramowitz and Stegun 7.1.26 is not exact enough for 5 digits; a series is, for |v| < 3. */
function erf(v: number): number {
  let term = v;
  let sum = v;
  for (let n = 1; n < 60; n++) {
    term *= (-v * v) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
