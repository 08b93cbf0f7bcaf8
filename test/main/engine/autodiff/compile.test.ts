import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileAttributionGraph } from '../../../../src/main/engine/autodiff/compile';
import { gradientRuleSet } from '../../../../src/main/engine/autodiff/rule-set';
import { GraphCache } from '../../../../src/main/engine/attribution/graph-cache';
import { int64Tensor } from '../../../../src/main/engine/onnx/tensor-values';
import { InferenceSession, OrtTensor } from '../../../../src/main/engine/runtime/onnxruntime';
import { encodeModel } from '../../../../src/main/engine/onnx/encode';
import { compiledRunner, floatTensor, graphModel } from '../../../helpers/compiled-runner';
import { tempDir } from '../../../helpers/tiny-models';

const convNet = () =>
  graphModel(
    [
      { opType: 'Conv', inputs: ['x', 'W'], outputs: ['c'], attributes: [{ name: 'pads', type: 7, ints: [1, 1, 1, 1] }] },
      { opType: 'Relu', inputs: ['c'], outputs: ['r'] },
      { opType: 'GlobalAveragePool', inputs: ['r'], outputs: ['p'] },
      { opType: 'Flatten', inputs: ['p'], outputs: ['f'] },
      { opType: 'Gemm', inputs: ['f', 'D'], outputs: ['logits'] },
      { opType: 'Softmax', inputs: ['logits'], outputs: ['scores'], attributes: [{ name: 'axis', type: 2, i: 1 }] },
    ],
    [floatTensor('W', [4, 3, 3, 3], Array.from({ length: 108 }, (_, i) => Math.sin(i))), floatTensor('D', [4, 5], Array.from({ length: 20 }, (_, i) => Math.cos(i)))],
    ['N', 3, 6, 6],
  );

describe('the compiled graph', () => {
  it('computes the same forward outputs as the original model', async () => {
    const model = convNet();
    const compiled = await compileAttributionGraph({ model, input: { name: 'x', dims: [1, 3, 6, 6] }, output: 'scores', objective: 'logit', rules: gradientRuleSet });
    const x = new OrtTensor('float32', Float32Array.from({ length: 2 * 108 }, (_, i) => Math.cos(i * 0.3)), [2, 3, 6, 6]);
    const original = await (await InferenceSession.create(encodeModel(model))).run({ x });
    const mine = await (await InferenceSession.create(encodeModel(compiled.model))).run({ x, lumen_seed: new OrtTensor('float32', new Float32Array(10), [2, 5]) });
    expect(mine.scores!.data).toEqual(original.scores!.data);
  });

  it('differentiates the logits before a final Softmax by default, and says so', async () => {
    const compiled = await compileAttributionGraph({ model: convNet(), input: { name: 'x', dims: [1, 3, 6, 6] }, output: 'scores', objective: 'logit', rules: gradientRuleSet });
    expect(compiled.io.scores).toBe('logits');
    expect(compiled.notes.join(' ')).toMatch(/ends in Softmax/);
  });

  it('serves every batch row independently: batch 3 equals three batch-1 runs', async () => {
    const runner = await compiledRunner(convNet(), [1, 3, 6, 6]);
    expect(runner.compiled.batchable).toBe(true);
    const rows = [0, 1, 2].map((k) => Float32Array.from({ length: 108 }, (_, i) => Math.sin(i * (k + 1) * 0.1)));
    const seeds = [0, 1, 2].map((k) => Float32Array.from({ length: 5 }, (_, c) => (c === k ? 1 : 0)));
    const batch = await runner.run(Float32Array.from(rows.flatMap((r) => [...r])), Float32Array.from(seeds.flatMap((s) => [...s])), undefined, 3);
    for (let k = 0; k < 3; k++) {
      const one = await runner.run(rows[k]!, seeds[k]!);
      Array.from(one.gradient).forEach((v, i) => expect(batch.gradient[k * 108 + i]).toBeCloseTo(v, 6));
    }
  });

  it('taps give an intermediate tensor and its gradient; a partial backward skips the rest', async () => {
    const model = convNet();
    const compiled = await compileAttributionGraph({ model, input: { name: 'x', dims: [1, 3, 6, 6] }, output: 'scores', objective: 'logit', rules: gradientRuleSet, taps: ['r'], inputGradient: false });
    expect(compiled.io.inputGradient).toBeUndefined();
    expect(compiled.io.taps).toEqual([{ tensor: 'r', value: 'lumen_tap_value_0', gradient: 'lumen_tap_gradient_0', dims: [1, 4, 6, 6] }]);
    // Nothing below the tap is differentiated: no ConvTranspose (the Conv backward) is emitted.
    expect(compiled.model.graph.nodes.some((n) => n.opType === 'ConvTranspose')).toBe(false);
    const session = await InferenceSession.create(encodeModel(compiled.model));
    const seed = new OrtTensor('float32', Float32Array.from([0, 0, 1, 0, 0]), [1, 5]);
    const out = await session.run({ x: new OrtTensor('float32', new Float32Array(108).fill(0.3), [1, 3, 6, 6]), lumen_seed: seed });
    // d logit_2 / d r = D[:, 2] / 36 at every position (global average pool then Gemm).
    const grad = out.lumen_tap_gradient_0!.data as Float32Array;
    for (let c = 0; c < 4; c++) expect(grad[c * 36 + 7]).toBeCloseTo(Math.cos(c * 5 + 2) / 36, 6);
  });

  it('names the operator, the node, the opset, what still works and the supported list when a backward is missing', async () => {
    const model = graphModel(
      [
        { opType: 'Flatten', inputs: ['x'], outputs: ['f'] },
        { opType: 'CumSum', inputs: ['f', 'axis'], outputs: ['scores'] },
      ],
      [int64Tensor('axis', [], [1])],
      [1, 1, 2, 2],
    );
    const error = await compileAttributionGraph({ model, input: { name: 'x', dims: [1, 1, 2, 2] }, output: 'scores', objective: 'logit', rules: gradientRuleSet }).catch((e: unknown) => e);
    const opset = 17; // graphModel's
    expect(error).toMatchObject({
      code: 'unsupported-model',
      message: `Lumen cannot differentiate the CumSum operator (node "n1", opset ${opset}), so gradient-based methods are unavailable for this model.`,
      details: { operator: 'CumSum', node: 'n1', opset },
    });
    expect((error as { hint: string }).hint).toMatch(/supported: Abs, Add, AveragePool, BatchNormalization, .*Conv, ConvTranspose/);
    expect((error as { hint: string }).hint).toMatch(/^The forward-only methods still work: occlusion, RISE, LIME, KernelSHAP and Shapley values/);
  });

  it('refuses a tap that does not exist, pointing at `lumen layers`', async () => {
    await expect(
      compileAttributionGraph({ model: convNet(), input: { name: 'x', dims: [1, 3, 6, 6] }, output: 'scores', objective: 'logit', rules: gradientRuleSet, taps: ['nope'] }),
    ).rejects.toMatchObject({ code: 'invalid-argument', message: 'There is no intermediate tensor named "nope" in the model.' });
  });
});

describe('the compiled-graph cache on disk', () => {
  const request = () => ({ model: convNet(), input: { name: 'x', dims: [1, 3, 6, 6] }, output: 'scores', objective: 'logit' as const, rules: gradientRuleSet });
  const key = { modelSha256: 'abc', ruleSet: 'gradient', request: { input: { name: 'x', dims: [1, 3, 6, 6] }, output: 'scores', objective: 'logit' as const } };

  it('compiles once, then loads from disk in a new process-like cache, and survives damage', async () => {
    const dir = join(tempDir(), 'graphs');
    const first = await new GraphCache(dir).get(key, request);
    expect(first.source).toBe('compiled');
    expect(readdirSync(dir).sort().map((f) => f.replace(/^[0-9a-f]+/, 'H'))).toEqual(['H.json', 'H.onnx']);
    const second = await new GraphCache(dir).get(key, request);
    expect(second.source).toBe('disk');
    expect(second.graph.bytes).toEqual(first.graph.bytes);
    // A truncated graph file is recompiled, not trusted.
    const onnx = readdirSync(dir).find((f) => f.endsWith('.onnx'))!;
    writeFileSync(join(dir, onnx), first.graph.bytes.subarray(0, 100));
    expect((await new GraphCache(dir).get(key, request)).source).toBe('compiled');
  });

  it('keys on the rule set: another rule set is another graph', async () => {
    const dir = join(tempDir(), 'graphs');
    mkdirSync(dir);
    const cache = new GraphCache(dir);
    await cache.get(key, request);
    expect((await cache.get({ ...key, ruleSet: 'guided-backprop' }, request)).source).toBe('compiled');
    expect(readdirSync(dir)).toHaveLength(4);
  });

  it('keeps compiled graphs in memory within its budget, least recently used out first, reloaded from disk', async () => {
    const dir = join(tempDir(), 'graphs');
    const size = (await new GraphCache(null).get(key, request)).graph.bytes.byteLength;
    // Room for one graph and a half: the second graph pushes the first out of memory.
    const cache = new GraphCache(dir, { maxMemoryBytes: size * 1.5 });
    await cache.get(key, request);
    expect((await cache.get(key, request)).source).toBe('memory');
    await cache.get({ ...key, ruleSet: 'guided-backprop' }, request);
    expect(cache.memoryBytes).toBeLessThanOrEqual(size * 1.5);
    expect((await cache.get({ ...key, ruleSet: 'guided-backprop' }, request)).source).toBe('memory');
    expect((await cache.get(key, request)).source).toBe('disk');
  });
});
