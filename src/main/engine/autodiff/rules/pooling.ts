import { documented, type BackwardContext, type OpRule, type RuleFamily } from '../rule';
import { transposeWindows, windowGeometry, type WindowGeometry } from './window';

/**
 * Max pooling sends the gradient to the element each window picked. onnxruntime's MaxPool reports
 * those picks as flat indices (its second output), so the backward is a ScatterElements with
 * reduction "add" (overlapping windows that pick the same element add up).
 */
export function scatterToArgmax(ctx: BackwardContext, g: string, indices: string): string {
  const e = ctx.emit;
  const x = ctx.input(0);
  const flat = e.ints([-1]);
  const zeros = e.reshape(e.zerosLike(x), flat);
  const scattered = e.op('ScatterElements', [zeros, e.reshape(indices, flat), e.reshape(g, flat)], { axis: 0, reduction: 'add' });
  return e.reshapeLike(scattered, x);
}

const maxPool: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
    const node = ctx.node;
    let indices = node.outputs[1];
    if (!indices || ctx.attrs.int('storage_order', 0) !== 0) {
      // Ask the forward node for its picks (row-major), rather than pooling twice.
      indices = ctx.emit.fresh('maxpool_indices');
      node.outputs[1] = indices;
      node.attributes = node.attributes.filter((a) => a.name !== 'storage_order');
    }
    return [scatterToArgmax(ctx, g!, indices)];
  },
};

const globalMaxPool: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
    // A max pool whose window is the whole plane, with indices.
    const x = ctx.input(0);
    const spatial = ctx.shape(x).slice(2);
    const [, indices] = ctx.emit.node('MaxPool', [x], { kernel_shape: spatial }, 2);
    return [scatterToArgmax(ctx, g!, indices!)];
  },
};

/** How many window taps fall inside [low, high) for each output position along one axis. */
function tapCounts(geo: WindowGeometry, axis: number, low: number, high: number): number[] {
  const counts: number[] = [];
  for (let o = 0; o < geo.output[axis]!; o++) {
    let c = 0;
    for (let j = 0; j < geo.kernel[axis]!; j++) {
      const p = o * geo.strides[axis]! - geo.pads[axis]! + j * geo.dilations[axis]!;
      if (p >= low && p < high) c++;
    }
    counts.push(c);
  }
  return counts;
}

const averagePool: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
    // Divide by each window's divisor, then spread evenly over its taps (a ConvTranspose with a
    // kernel of ones, one group per channel).
    const e = ctx.emit;
    const x = ctx.input(0);
    const kernel = ctx.attrs.ints('kernel_shape')!;
    const geo = windowGeometry(ctx, kernel);
    const n = kernel.length;
    const includePad = ctx.attrs.int('count_include_pad', 0) === 1;
    // The divisor counts taps inside the padded input (count_include_pad) or inside the input.
    const perAxis = geo.output.map((_, a) =>
      includePad ? tapCounts(geo, a, -geo.pads[a]!, geo.input[a]! + geo.pads[n + a]!) : tapCounts(geo, a, 0, geo.input[a]!),
    );
    let divisor: number[] = [1];
    for (const counts of perAxis) divisor = divisor.flatMap((d) => counts.map((c) => d * Math.max(c, 1)));
    const scaled = e.div(g!, e.floats(divisor, [1, 1, ...geo.output]));
    const channels = ctx.shape(x)[1]!;
    const ones = e.floats(new Array<number>(channels * kernel.reduce((a, b) => a * b, 1)).fill(1), [channels, 1, ...kernel]);
    return [transposeWindows(ctx, scaled, ones, geo, channels)];
  },
};

const globalAveragePool: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
    const x = ctx.input(0);
    const area = ctx.shape(x).slice(2).reduce((a, b) => a * b, 1);
    return [ctx.emit.expandLike(ctx.emit.mul(g!, ctx.emit.scalar(1 / area)), x)];
  },
};

export const poolingRules: RuleFamily = {
  title: 'Pooling',
  summary: '1-D, 2-D and 3-D windows.',
  rules: {
    MaxPool: documented(maxPool, {
      forms: 'ceil_mode, pads, auto_pad, dilations, overlapping windows, with or without the Indices output (either storage_order)',
      note: 'the backward scatters to the indices onnxruntime reports (ScatterElements, reduction add)',
    }),
    GlobalMaxPool: documented(globalMaxPool, { note: 'as MaxPool with the whole plane as its window' }),
    AveragePool: documented(averagePool, {
      forms: 'count_include_pad 0 and 1, ceil_mode, pads, auto_pad, dilations (opset 19)',
      note: 'the backward is a ConvTranspose with a kernel of ones, divided by each window\'s divisor',
    }),
    GlobalAveragePool: documented(globalAveragePool),
  },
};
