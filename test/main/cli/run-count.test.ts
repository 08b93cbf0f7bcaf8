import { describe, expect, it } from 'vitest';
import { describeRuns } from '../../../src/main/cli/commands/run-count';

describe('lumen attribute: what a computation cost in model runs', () => {
  it('attention rollout, which reads one plain forward pass and compiles no graph, says so instead of "0 runs"', () => {
    expect(describeRuns(0, { blocks: 12, forwardPasses: 1 })).toBe('1 forward pass of the model (no gradient graph)');
  });

  it('gradient-weighted methods: their graph runs with the passes they stand for', () => {
    expect(describeRuns(1, { forwardPasses: 1, backwardPasses: 1 })).toBe('1 onnxruntime run(s) (1 forward + 1 backward pass)');
    expect(describeRuns(2, { forwardPasses: 2, backwardPasses: 2 })).toBe('2 onnxruntime run(s) (2 forward + 2 backward passes)');
  });

  it('methods without pass figures keep the plain count', () => {
    expect(describeRuns(3, { completenessError: 0.01 })).toBe('3 onnxruntime run(s)');
    expect(describeRuns(0, {})).toBe('0 onnxruntime runs');
  });
});
