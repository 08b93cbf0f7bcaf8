import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileAttributionGraph, type CompiledGraph } from '../../../../src/main/engine/autodiff/compile';
import { compositeRuleSet } from '../../../../src/main/engine/autodiff/lrp/composites';
import { mergeGraphs } from '../../../../src/main/engine/autodiff/merge-graphs';
import { asExportedGradientRuleSet } from '../../../../src/main/engine/autodiff/rule-set';
import { parseNpy, toFloat32 } from '../../../../src/main/engine/io/npy';
import { attentionTapCandidates } from '../../../../src/main/engine/methods/attention/attention-gradients';
import { decodeModel } from '../../../../src/main/engine/onnx/decode';
import { encodeModel } from '../../../../src/main/engine/onnx/encode';
import type { Model } from '../../../../src/main/engine/onnx/ir';
import { InferenceSession, OrtTensor } from '../../../../src/main/engine/runtime/onnxruntime';

/**
 * Merging two compiled graphs of a model (transformer attribution's gradient and AttnLRP graphs)
 * into one: the forward pass appears once, and one run of the merged model returns exactly what
 * the two graphs return when run apart.
 */
const root = new URL('../../../fixtures/', import.meta.url);
const fixtures = [
  { name: 'the AttnLRP fixture ViT', model: 'attnlrp/vit_cls.opset17.onnx', input: 'attnlrp/input.npy' },
  { name: 'the torchvision ViT fixture', model: 'models/vit/model.onnx', input: 'models/vit/input.npy' },
];

async function compileBoth(model: Model, dims: number[]): Promise<[CompiledGraph, CompiledGraph]> {
  const output = model.graph.outputs[0]!.name;
  const taps = attentionTapCandidates(model, output).map((c) => c.tensor);
  const request = { model, input: { name: model.graph.inputs[0]!.name, dims }, output, objective: 'logit' as const, taps, inputGradient: false };
  return [await compileAttributionGraph({ ...request, rules: asExportedGradientRuleSet }), await compileAttributionGraph({ ...request, rules: compositeRuleSet('attn-lrp', { startRelevance: 'one' }) })];
}

async function run(model: Model, feeds: Record<string, InstanceType<typeof OrtTensor>>, fetches: string[]): Promise<Float32Array[]> {
  const session = await InferenceSession.create(encodeModel(model), { graphOptimizationLevel: 'all' });
  try {
    const out = await session.run(feeds, fetches);
    return fetches.map((f) => Float32Array.from(out[f]!.data as Float32Array));
  } finally {
    await session.release();
  }
}

describe('merging two compiled graphs of one model', () => {
  for (const fixture of fixtures) {
    it(`computes the forward pass of ${fixture.name} once, and the merged run equals the two graphs run apart`, async () => {
      const model = decodeModel(new Uint8Array(readFileSync(new URL(fixture.model, root))));
      const array = parseNpy(new Uint8Array(readFileSync(new URL(fixture.input, root))), fixture.input);
      const rowSize = array.shape.slice(1).reduce((a, b) => a * b, 1);
      const dims = [1, ...array.shape.slice(1)];
      const [gradient, lrp] = await compileBoth(model, dims);
      const merged = mergeGraphs(gradient, lrp, 'lrp/');

      // No node taken from the LRP graph recomputes a tensor of the model's forward pass.
      const forward = new Set(model.graph.nodes.flatMap((n) => n.outputs));
      const added = merged.model.graph.nodes.slice(gradient.model.graph.nodes.length);
      expect(added.length).toBe(lrp.model.graph.nodes.length - merged.sharedNodes);
      expect(added.flatMap((n) => n.outputs).filter((o) => forward.has(o.slice('lrp/'.length)))).toEqual([]);
      const lrpForward = lrp.model.graph.nodes.filter((n) => n.outputs.some((o) => forward.has(o))).length;
      expect(lrpForward).toBeGreaterThan(0);
      expect(merged.sharedNodes).toBeGreaterThanOrEqual(lrpForward);
      expect(merged.io.taps.map((t) => t.tensor)).toEqual([...gradient.io.taps, ...lrp.io.taps].map((t) => t.tensor));

      const seed = new Float32Array(gradient.classCount);
      seed[1] = 1;
      const feeds = (io: CompiledGraph['io']) => ({
        [io.image]: new OrtTensor('float32', toFloat32(array).slice(0, rowSize), dims),
        [io.seed]: new OrtTensor('float32', seed, [1, seed.length]),
      });
      const fetchesOf = (io: CompiledGraph['io']) => [io.objective, ...io.taps.flatMap((t) => [t.value, t.gradient])];
      const apart = [...(await run(gradient.model, feeds(gradient.io), fetchesOf(gradient.io))), ...(await run(lrp.model, feeds(lrp.io), fetchesOf(lrp.io)).then((r) => r.slice(1)))];
      const together = await run(merged.model, feeds(merged.io), fetchesOf(merged.io));
      expect(together.length).toBe(apart.length);
      together.forEach((values, k) => {
        const expected = apart[k]!;
        const scale = Math.max(...expected.map(Math.abs), 1e-30);
        const worst = values.reduce((m, v, i) => Math.max(m, Math.abs(v - expected[i]!)), 0);
        expect(worst / scale, `output ${k}`).toBeLessThanOrEqual(1e-5);
      });
      // The LRP signal is not the gradient: the merged run did not hand back one backward twice.
      const taps = gradient.io.taps.length;
      expect(together[2 + 2 * taps]).not.toEqual(together[2]);
    });
  }
});
