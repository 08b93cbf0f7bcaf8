import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LumenError } from '../../../../src/shared/errors';
import { decodeModel } from '../../../../src/main/engine/onnx/decode';
import { encodeModel } from '../../../../src/main/engine/onnx/encode';
import { inlineFunctions } from '../../../../src/main/engine/onnx/inline-functions';
import type { Model } from '../../../../src/main/engine/onnx/ir';
import { readOnnxModel } from '../../../../src/main/engine/onnx/read-model';
import { InferenceSession, OrtTensor } from '../../../../src/main/engine/runtime/onnxruntime';
import { testApi } from '../../../helpers/engine';
import { tempDir, tinyClassifier } from '../../../helpers/tiny-models';

const codecFixtures = new URL('../../../fixtures/onnx-codec/', import.meta.url);
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, codecFixtures)));

/** All the values a graph defines: its inputs, initializers and node outputs. */
function defined(model: Model): string[] {
  const g = model.graph;
  return [...g.inputs.map((v) => v.name), ...g.initializers.map((t) => t.name), ...g.nodes.flatMap((n) => n.outputs)];
}

describe('inlining model-local functions', () => {
  const bytes = read('functions.onnx');
  const model = decodeModel(bytes);
  const inlined = inlineFunctions(model);

  it('expands nested calls into plain operators with unique value and node names', () => {
    expect(inlined.functions).toEqual([]);
    expect(inlined.graph.nodes.filter((n) => n.domain !== '')).toEqual([]);
    // Conv, 2 x (Constant, Mul, Sigmoid, Mul, Add), pool, flatten, Gemm.
    expect(inlined.graph.nodes.map((n) => n.opType)).toEqual(['Conv', 'Constant', 'Mul', 'Sigmoid', 'Mul', 'Add', 'Constant', 'Mul', 'Sigmoid', 'Mul', 'Add', 'GlobalAveragePool', 'Flatten', 'Gemm']);
    const values = defined(inlined);
    expect(new Set(values).size).toBe(values.length);
    const names = inlined.graph.nodes.map((n) => n.name);
    expect(new Set(names).size).toBe(names.length);
    // The function's own "t" is renamed; the main graph's "t" (the first call's output) stays.
    expect(inlined.graph.nodes.find((n) => n.opType === 'Add')!.outputs).toEqual(['t']);
  });

  it('gives each attribute reference the caller value, or the function default', () => {
    const constants = inlined.graph.nodes.filter((n) => n.opType === 'Constant').map((n) => n.attributes);
    expect(constants).toEqual([[{ name: 'value_float', type: 1, f: 2 }], [{ name: 'value_float', type: 1, f: 0.5 }]]);
  });

  it('computes what onnxruntime computes running the functions itself', async () => {
    const native = await InferenceSession.create(bytes);
    const expanded = await InferenceSession.create(encodeModel(inlined));
    for (const seed of [1, 2, 3]) {
      const x = new OrtTensor('float32', Float32Array.from({ length: 48 }, (_, i) => Math.sin(i * seed) * 2), [1, 3, 4, 4]);
      const a = (await native.run({ input: x })).logits!.data as Float32Array;
      const b = (await expanded.run({ input: x })).logits!.data as Float32Array;
      expect(Math.max(...a.map((v) => Math.abs(v)))).toBeGreaterThan(0.1);
      b.forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 5));
    }
  });

  it('is done when a model is opened: the gradient through the functions matches finite differences of onnxruntime', async () => {
    const dir = tempDir();
    const path = join(dir, 'functions.onnx');
    copyFileSync(new URL('functions.onnx', codecFixtures), path);
    const { api, close } = testApi();
    try {
      const opened = await api.call('models.open', { path, card: { preprocess: { resize: { mode: 'stretch' }, mean: [0, 0, 0], std: [1, 1, 1] } } });
      const x = Float32Array.from({ length: 48 }, (_, i) => Math.cos(i) * 0.7);
      const g = await api.call('attribute', { modelId: opened.id, input: { kind: 'tensor', dims: [1, 3, 4, 4], data: x }, method: 'gradient', target: 1 });
      const native = await InferenceSession.create(bytes);
      const f = async (v: Float32Array): Promise<number> => ((await native.run({ input: new OrtTensor('float32', v, [1, 3, 4, 4]) })).logits!.data as Float32Array)[1]!;
      const h = 1e-2;
      for (const i of [0, 7, 21, 47]) {
        const up = x.slice();
        const down = x.slice();
        up[i]! += h;
        down[i]! -= h;
        expect(g.data[i]).toBeCloseTo(((await f(up)) - (await f(down))) / (2 * h), 2);
      }
    } finally {
      await close();
    }
  });

  it('renames the function values that If branches read, and keeps the main graph values of the same name', async () => {
    const withBranches = read('subgraph.onnx');
    const expanded = inlineFunctions(decodeModel(withBranches));
    const branchInputs = expanded.graph.nodes.find((n) => n.opType === 'If')!.attributes.map((a) => a.g!.nodes[0]!.inputs[0]);
    const relu = expanded.graph.nodes.find((n) => n.opType === 'Relu')!;
    expect(branchInputs).toEqual([relu.outputs[0], relu.outputs[0]]);
    expect(relu.outputs[0]).not.toBe('t');
    expect(relu.inputs).toEqual(['t']);
    const native = await InferenceSession.create(withBranches);
    const inlinedSession = await InferenceSession.create(encodeModel(expanded));
    // Both branches: the sum of sigmoid(x) - 0.5 is positive for the first input, negative for the second.
    for (const x of [[2, -0.5, 1], [-2, 0.5, -1]]) {
      const feeds = { input: new OrtTensor('float32', Float32Array.from(x), [1, 3]) };
      const a = (await native.run(feeds)).logits!.data as Float32Array;
      const b = (await inlinedSession.run(feeds)).logits!.data as Float32Array;
      expect(Array.from(b)).toEqual(Array.from(a));
    }
  });

  it('refuses a function that imports another version of an operator set than the model', () => {
    const model = decodeModel(bytes);
    model.functions[0]!.opsets[0] = { domain: '', version: 16 };
    expect(() => inlineFunctions(model)).toThrow('The model\'s function "Outer" uses version 16 of the "ai.onnx" operator set while the model uses version 17; Lumen cannot expand it into the graph.');
  });

  it('leaves a model without functions as it is', () => {
    const plain = tinyClassifier({ inputShape: [1, 3, 4, 4] });
    expect(inlineFunctions(plain)).toBe(plain);
  });

  it('refuses a function that calls itself through another, in one line', async () => {
    const error = await readOnnxModel(read('recursive.onnx'), 'recursive.onnx', '.').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LumenError);
    expect(error).toMatchObject({ code: 'unsupported-model', message: expect.stringMatching(/function "Ping" calls itself \(Ping → Pong → Ping\)/) });
    expect((error as LumenError).describe()).not.toMatch(/\n/);
  });

  it('refuses a function that calls itself directly', () => {
    const model = tinyClassifier({ inputShape: [1, 3, 4, 4] });
    model.graph.nodes[0] = { ...model.graph.nodes[0]!, opType: 'Loop1', domain: 'x' };
    model.functions = [{ name: 'Loop1', domain: 'x', overload: '', inputs: ['a'], outputs: ['b'], attributes: [], attributeDefaults: [], nodes: [{ name: 'n', opType: 'Loop1', domain: 'x', inputs: ['a'], outputs: ['b'], attributes: [] }], opsets: [], valueInfo: [] }];
    expect(() => inlineFunctions(model)).toThrow(/function "Loop1" calls itself \(Loop1 → Loop1\)/);
  });
});
