import { describe, expect, it } from 'vitest';
import { compileAttributionGraph, type CompiledGraph } from '../../../../src/main/engine/autodiff/compile';
import { gradientRuleSet } from '../../../../src/main/engine/autodiff/rule-set';
import { encodeModel } from '../../../../src/main/engine/onnx/encode';
import type { Tensor } from '../../../../src/main/engine/onnx/ir';
import { floatTensor, int64Tensor } from '../../../../src/main/engine/onnx/tensor-values';
import { InferenceSession, OrtTensor } from '../../../../src/main/engine/runtime/onnxruntime';
import { graphModel } from '../../../helpers/compiled-runner';
import { centralDifferences, rng } from '../../../helpers/gradient-check';
import { promoteToFloat64 } from '../../../helpers/gradient-check-f64';

/**
 * A tensor read by several Slices (a transformer's fused q/k/v projection cut in three) gets the
 * sum of its slices' gradients. Where the slices tile a stretch of one axis, the compiler joins
 * them with one Concat instead of a zero-padded copy per slice and a Sum; elsewhere (gaps,
 * overlaps, other axes) it keeps the padded sum. Every form must give the true gradient.
 */
const width = 8;

interface SliceSpec {
  start: number;
  end: number;
  axis?: number;
}

/**
 * x [1, 2, width] -> one Slice per spec -> times a distinct constant -> Tanh, all flattened and
 * concatenated into the scores; `alsoDirect` adds Tanh(x) itself, a contribution that is no window.
 */
function slicedModel(specs: SliceSpec[], alsoDirect = false) {
  const initializers: Tensor[] = [];
  const nodes: Parameters<typeof graphModel>[0] = [];
  const flats: string[] = [];
  specs.forEach((s, k) => {
    const axis = s.axis ?? 2;
    initializers.push(int64Tensor(`starts${k}`, [1], [s.start]), int64Tensor(`ends${k}`, [1], [s.end]), int64Tensor(`axes${k}`, [1], [axis]));
    const length = s.end - s.start;
    const dims = axis === 2 ? [1, 2, length] : [1, length, width];
    initializers.push(floatTensor(`c${k}`, dims, Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => 0.5 + 0.1 * k + 0.03 * i)));
    nodes.push(
      { opType: 'Slice', inputs: ['x', `starts${k}`, `ends${k}`, `axes${k}`], outputs: [`s${k}`] },
      { opType: 'Mul', inputs: [`s${k}`, `c${k}`], outputs: [`m${k}`] },
      { opType: 'Tanh', inputs: [`m${k}`], outputs: [`t${k}`] },
      { opType: 'Flatten', inputs: [`t${k}`], outputs: [`f${k}`], attributes: [{ name: 'axis', type: 2, i: 1 }] },
    );
    flats.push(`f${k}`);
  });
  if (alsoDirect) {
    nodes.push({ opType: 'Tanh', inputs: ['x'], outputs: ['direct'] }, { opType: 'Flatten', inputs: ['direct'], outputs: ['fd'], attributes: [{ name: 'axis', type: 2, i: 1 }] });
    flats.push('fd');
  }
  nodes.push({ opType: 'Concat', inputs: flats, outputs: ['scores'], attributes: [{ name: 'axis', type: 2, i: 1 }] });
  return graphModel(nodes, initializers, [1, 2, width]);
}

/** Compiles the model, checks its gradient against float64 central differences, returns the graph. */
async function checkedGraph(specs: SliceSpec[], alsoDirect = false): Promise<CompiledGraph> {
  const dims = [1, 2, width];
  const compiled = await compileAttributionGraph({ model: slicedModel(specs, alsoDirect), input: { name: 'x', dims }, output: 'scores', objective: 'logit', rules: gradientRuleSet });
  const session = await InferenceSession.create(encodeModel(promoteToFloat64(compiled.model)), { logSeverityLevel: 4 });
  const r = rng(11);
  const seed = Float64Array.from({ length: compiled.classCount }, () => 2 * r() - 1);
  const x = Float64Array.from({ length: 2 * width }, () => 2 * r() - 1);
  const run = async (input: Float64Array) => session.run({ x: new OrtTensor('float64', input, dims), lumen_seed: new OrtTensor('float64', seed, [1, compiled.classCount]) });
  const gradient = (await run(x)).lumen_input_gradient!.data as Float64Array;
  const fd = await centralDifferences(x, 1e-5, async (input) => ((await run(input)).lumen_objective!.data as Float64Array)[0]!);
  await session.release();
  fd.forEach((v, i) => expect(Math.abs(v - gradient[i]!), `element ${i}`).toBeLessThan(1e-7));
  return compiled;
}

/** The backward's nodes of one type (the forward's own nodes are named n0, n1, ...). */
const backward = (compiled: CompiledGraph, opType: string) => compiled.model.graph.nodes.filter((n) => n.opType === opType && n.name.startsWith('lumen'));

describe('the gradient of a tensor read by several Slices', () => {
  it('joins slices that tile the axis (q, k, v) with one Concat: no padded copies, no Sum', async () => {
    const compiled = await checkedGraph([{ start: 0, end: 3 }, { start: 3, end: 5 }, { start: 5, end: 8 }]);
    expect(backward(compiled, 'Pad')).toHaveLength(0);
    expect(backward(compiled, 'Sum')).toHaveLength(0);
  });

  it('joins slices listed out of order (the sum is taken in graph order, the Concat in axis order)', async () => {
    const compiled = await checkedGraph([{ start: 5, end: 8 }, { start: 0, end: 3 }, { start: 3, end: 5 }]);
    expect(backward(compiled, 'Pad')).toHaveLength(0);
    expect(backward(compiled, 'Sum')).toHaveLength(0);
  });

  it('pads the joined stretch once when the slices tile only part of the axis', async () => {
    const compiled = await checkedGraph([{ start: 1, end: 4 }, { start: 4, end: 6 }]);
    expect(backward(compiled, 'Pad')).toHaveLength(1);
    expect(backward(compiled, 'Sum')).toHaveLength(0);
  });

  it('adds the joined slices to a contribution that is no slice', async () => {
    const compiled = await checkedGraph([{ start: 0, end: 4 }, { start: 4, end: 8 }], true);
    expect(backward(compiled, 'Pad')).toHaveLength(0);
    expect(backward(compiled, 'Sum')).toHaveLength(1);
  });

  it('keeps padded copies and a Sum where slices leave a gap or overlap, or cut different axes', async () => {
    for (const specs of [
      [{ start: 0, end: 3 }, { start: 4, end: 8 }],
      [{ start: 0, end: 5 }, { start: 3, end: 8 }],
      [{ start: 0, end: 4 }, { start: 1, end: 2, axis: 1 }],
    ]) {
      const compiled = await checkedGraph(specs);
      expect(backward(compiled, 'Pad')).toHaveLength(2);
      expect(backward(compiled, 'Sum')).toHaveLength(1);
    }
  });
});
