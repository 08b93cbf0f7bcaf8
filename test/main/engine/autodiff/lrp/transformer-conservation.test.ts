import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compositeRuleSet } from '../../../../../src/main/engine/autodiff/lrp/composites';
import { parseNpy, toFloat32 } from '../../../../../src/main/engine/io/npy';
import { decodeModel } from '../../../../../src/main/engine/onnx/decode';
import { compiledRunner } from '../../../../helpers/compiled-runner';

/**
 * Conservation of the transformer LRP rules, read from the compiled graph itself (taps give the
 * relevance at any tensor), on the bias-free ViT of tools/fixtures/make_attnlrp_fixtures.py (no
 * bias in any linear layer, LayerNorm's shift zero, no class token nor position embedding, mean
 * pooling): there nothing can absorb relevance but the rules themselves.
 * - CP-LRP conserves everywhere: the relevance summed over the residual stream is the same
 *   (1, the start) after every attention and MLP sub-block, and over the image.
 * - AttnLRP conserves everywhere but in the softmax, whose linearisation's bias absorbs (or adds)
 *   relevance (Achtibat et al. 2024, Prop. 3.1): what a sub-block loses is exactly what its
 *   softmax lost, sum R(softmax input) - sum R(softmax output).
 * Tolerance 1e-4 (absolute, relevance starts at 1): the epsilon stabilisers (1e-6) absorb a
 * little; measured at most 3e-5 here, and the PyTorch reference's sums agree (|sum - 1| up to
 * 2.9e-5 for CP-LRP). A rule that leaked relevance (the bias-free model's zero shifts counted as
 * constants, the uniform rule without its 1/2) misses by far more than that.
 */
const root = new URL('../../../../fixtures/attnlrp/', import.meta.url);
const input = toFloat32(parseNpy(new Uint8Array(readFileSync(new URL('input.npy', root))), 'input.npy'));
const targets = [1, 3];
const seed = new Float32Array(10);
targets.forEach((t, row) => (seed[row * 5 + t] = 1));
const tolerance = 1e-4;

function rowSums(data: Float32Array): [number, number] {
  const n = data.length / 2;
  let [a, b] = [0, 0];
  for (let i = 0; i < n; i++) {
    a += data[i]!;
    b += data[n + i]!;
  }
  return [a, b];
}

for (const file of ['vit_tight.opset14.onnx', 'vit_tight.opset17.onnx']) {
  describe(`conservation of the transformer LRP rules on ${file}`, () => {
    const model = decodeModel(new Uint8Array(readFileSync(new URL(file, root))));
    // The residual stream: the tokens, then the output of every residual Add.
    const stream = ['/Transpose_output_0', ...model.graph.nodes.filter((n) => /^\/blocks\.\d+\/Add(_1)?$/.test(n.name)).map((n) => n.outputs[0]!)];
    const softmaxes = model.graph.nodes.filter((n) => n.opType === 'Softmax');

    async function relevanceSums(composite: 'attn-lrp' | 'cp-lrp', taps: string[]): Promise<{ input: [number, number]; at: Map<string, [number, number]> }> {
      const runner = await compiledRunner(model, [1, 3, 16, 16], { rules: compositeRuleSet(composite), output: 'logits', inputName: 'input', taps });
      const { gradient, outputs } = await runner.run(input, seed, undefined, 2);
      const at = new Map(runner.compiled.io.taps.map((t) => [t.tensor, rowSums(outputs[t.gradient]!.data as Float32Array)] as const));
      return { input: rowSums(gradient), at };
    }

    it('finds the residual stream and both attention softmaxes', () => {
      expect(stream).toHaveLength(5);
      expect(softmaxes).toHaveLength(2);
    });

    it('CP-LRP: the relevance summed over the image and over the residual stream after every sub-block is the start, 1', async () => {
      const { input: sums, at } = await relevanceSums('cp-lrp', stream);
      for (const row of [0, 1]) {
        expect(Math.abs(sums[row]! - 1), `image, row ${row}`).toBeLessThan(tolerance);
        for (const t of stream) expect(Math.abs(at.get(t)![row]! - 1), `${t}, row ${row}`).toBeLessThan(tolerance);
      }
    });

    it('CP-LRP: the detached attention probabilities receive no relevance (a tap there is refused)', async () => {
      await expect(relevanceSums('cp-lrp', [softmaxes[0]!.outputs[0]!])).rejects.toThrow(/does not influence the objective/);
    });

    it('AttnLRP: every sub-block conserves but for what its softmax absorbs', async () => {
      const { input: sums, at } = await relevanceSums('attn-lrp', [...stream, ...softmaxes.flatMap((n) => [n.inputs[0]!, n.outputs[0]!])]);
      for (const row of [0, 1]) {
        expect(Math.abs(sums[row]! - at.get(stream[0]!)![row]!), `image vs tokens, row ${row}`).toBeLessThan(tolerance);
        let absorbedInTotal = 0;
        for (let k = 0; k + 1 < stream.length; k++) {
          // Sub-blocks alternate: attention (with softmax k / 2), then MLP.
          const softmax = k % 2 === 0 ? softmaxes[k / 2]! : undefined;
          const absorbed = softmax ? at.get(softmax.outputs[0]!)![row]! - at.get(softmax.inputs[0]!)![row]! : 0;
          absorbedInTotal += absorbed;
          const before = at.get(stream[k]!)![row]!;
          const after = at.get(stream[k + 1]!)![row]!;
          expect(Math.abs(before - (after - absorbed)), `sub-block ${k}, row ${row}`).toBeLessThan(tolerance);
        }
        expect(Math.abs(at.get(stream.at(-1)!)![row]! - 1), `last block's output, row ${row}`).toBeLessThan(tolerance);
        // The softmaxes do absorb here: the check above is not vacuous.
        expect(Math.abs(absorbedInTotal)).toBeGreaterThan(0.01);
        expect(Math.abs(sums[row]! - (1 - absorbedInTotal)), `image, row ${row}`).toBeLessThan(tolerance);
      }
    });
  });
}
