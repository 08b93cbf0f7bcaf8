import { describe, expect, it } from 'vitest';
import { compileAttributionGraph } from '../../../../src/main/engine/autodiff/compile';
import { gradientRuleSet } from '../../../../src/main/engine/autodiff/rule-set';
import { failure } from '../../../helpers/failure';
import { opModel, type OpCase } from '../../../helpers/gradient-check';

/** What a rule cannot differentiate is a one-line compile error naming the operator, the node and why. */
async function refusal(c: OpCase): Promise<string> {
  const compiling = compileAttributionGraph({ model: opModel(c), input: { name: 'x', dims: c.x }, output: 'scores', objective: 'logit', rules: gradientRuleSet });
  const error = await failure(compiling);
  expect(error.code).toBe('unsupported-model');
  expect(error.message).toContain(`${c.op} node "op"`);
  expect(error.message).not.toContain('\n');
  return error.message;
}

const floats = (dims: number[]): { floats: number[]; dims: number[] } => ({ floats: new Array<number>(dims.reduce((a, b) => a * b, 1)).fill(0.5), dims });

describe('operators the rules refuse, and why', () => {
  it('a scatter that replaces the same element twice (which update wins is up to the runtime)', async () => {
    expect(await refusal({ op: 'ScatterND', x: [4, 3], inputs: ['x', { ints: [1, 1], dims: [2, 1] }, floats([2, 3])] })).toMatch(/write the same element twice/);
    // Index 0 at positions (0, 0) and (1, 0): both write element (0, 0).
    expect(await refusal({ op: 'ScatterElements', x: [2, 3], inputs: ['x', { ints: [0, 0], dims: [2, 1] }, floats([2, 1])], attrs: { axis: 0 } })).toMatch(/twice/);
  });

  it('a scatter that multiplies', async () => {
    expect(await refusal({ op: 'ScatterND', x: [4, 3], inputs: ['x', { ints: [1, 2], dims: [2, 1] }, floats([2, 3])], attrs: { reduction: 'mul' }, opset: 16 })).toMatch(
      /reduction "mul"/,
    );
  });

  it('GatherND with batch dims', async () => {
    expect(await refusal({ op: 'GatherND', x: [2, 3, 4], inputs: ['x', { ints: [0, 2], dims: [2, 1] }], attrs: { batch_dims: 1 } })).toMatch(/batch_dims/);
  });

  it('an Einsum diagonal', async () => {
    expect(await refusal({ op: 'Einsum', x: [3, 3], attrs: { equation: 'ii->i' } })).toMatch(/repeated in one operand/);
  });
});
