import { describe, expect, it } from 'vitest';
import { kernelTotals, phaseOf } from '../../bench/graph-profile';

const kernel = (name: string, op: string, dur: number) => ({ cat: 'Node', name: `${name}_kernel_time`, dur, args: { op_name: op } });

describe('graph-profile kernel totals', () => {
  it("tells the model's nodes, Lumen's backward nodes and onnxruntime's layout changes apart", () => {
    expect(phaseOf('/layer1/layer1.0/conv1/Conv_output_0_nchwc', 'Conv')).toBe('forward');
    expect(phaseOf('lumen_conv_53_nchwc', 'Conv')).toBe('backward');
    expect(phaseOf('ReorderOutput_token_12', 'ReorderOutput')).toBe('layout');
  });

  it('sums kernel times per phase and operator, per run, and skips other events', () => {
    const events = [
      kernel('/conv1/Conv', 'Conv', 1000),
      kernel('/conv1/Conv', 'Conv', 3000),
      kernel('lumen_conv_1', 'Conv', 2000),
      kernel('lumen_conv_1', 'Conv', 2000),
      kernel('ReorderOutput_1', 'ReorderOutput', 500),
      { cat: 'Node', name: '/conv1/Conv_fence_before', dur: 99999, args: { op_name: 'Conv' } },
      { cat: 'Session', name: 'model_run', dur: 99999 },
      'not an event',
    ];
    const totals = kernelTotals(events, 2);
    expect(totals.byOp.get('forward|Conv')).toEqual({ phase: 'forward', op: 'Conv', ms: 2, count: 1 });
    expect(totals.byOp.get('backward|Conv')).toEqual({ phase: 'backward', op: 'Conv', ms: 2, count: 1 });
    expect(totals.byOp.get('layout|ReorderOutput')?.ms).toBeCloseTo(0.25, 9);
    expect(totals.byNode.get('/conv1/Conv')).toEqual({ op: 'Conv', ms: 2 });
    expect(totals.byOp.size).toBe(3);
  });
});
