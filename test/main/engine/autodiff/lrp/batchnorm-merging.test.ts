import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lrpCanonizer } from '../../../../../src/main/engine/autodiff/canonizers/lrp-canonizer';
import { compositeRuleSet } from '../../../../../src/main/engine/autodiff/lrp/composites';
import { decodeModel } from '../../../../../src/main/engine/onnx/decode';
import { compiledRunner } from '../../../../helpers/compiled-runner';

const fixtures = new URL('../../../../fixtures/', import.meta.url);
const count = (nodes: Array<{ opType: string }>, op: string): number => nodes.filter((n) => n.opType === op).length;

describe('BatchNorm merging on a real torch.onnx export (test/fixtures/models/vgg_bn)', () => {
  // torch.onnx stores equal initializers once and aliases the others through Identity: here the
  // last convolution's bias, which hid that convolution from the BatchNorm folding before.
  const model = decodeModel(new Uint8Array(readFileSync(new URL('models/vgg_bn/model.onnx', fixtures))));
  const biasBehindIdentity = model.graph.nodes.filter((n) => n.opType === 'Conv' && n.inputs[2] && model.graph.nodes.some((p) => p.opType === 'Identity' && p.outputs[0] === n.inputs[2]));

  it('the file has the shape of the bug: four BatchNorms, a convolution bias behind an Identity', () => {
    expect(count(model.graph.nodes, 'BatchNormalization')).toBe(4);
    expect(biasBehindIdentity).toHaveLength(1);
  });

  it("LRP's canonizer merges all four", () => {
    expect(count(lrpCanonizer(model, new Map()).graph.nodes, 'BatchNormalization')).toBe(0);
  });

  it('the compiled LRP graph has no BatchNormalization left', async () => {
    const runner = await compiledRunner(model, [1, 3, 32, 32], { rules: compositeRuleSet('epsilon-plus-flat'), output: 'logits', inputName: 'input' });
    expect(count(runner.compiled.model.graph.nodes, 'BatchNormalization')).toBe(0);
  });
});
