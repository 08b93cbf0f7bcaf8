import { documented, type OpRule, type RuleFamily } from '../rule';
import { unbroadcast } from './broadcast';
import { depthToSpace, spaceToDepth } from './depth-space';
import { known, normalizeAxis } from './operands';

/** Ops that only move values around: their gradient moves the gradient back. */
const reshapeBack: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
    return [ctx.emit.reshapeLike(g!, ctx.input(0))];
  },
};

const transpose: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
    const rank = ctx.shape(ctx.input(0)).length;
    const perm = ctx.attrs.ints('perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
    const inverse = new Array<number>(rank);
    perm.forEach((p, i) => (inverse[p] = i));
    return [ctx.emit.transpose(g!, inverse)];
  },
};

const expand: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
    return [unbroadcast(ctx, g!, ctx.output(0), ctx.input(0))];
  },
};

const tile: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
    // View g as [r0, d0, r1, d1, ...] and sum over the repeat axes.
    const x = ctx.input(0);
    const dims = ctx.shape(x);
    const repeats = known(ctx, 1, 'Tile repeats')!;
    if (dims.some((_, i) => ctx.isBatchAxis(x, i) && repeats[i] !== 1)) ctx.unsupported('tiling along the batch axis');
    const split = dims.flatMap((d, i) => [repeats[i]!, ctx.isBatchAxis(x, i) ? -1 : d]);
    const e = ctx.emit;
    const summed = e.reduceSum(e.reshape(g!, e.ints(split)), dims.map((_, i) => 2 * i), false);
    return [e.reshapeLike(summed, x)];
  },
};

const concat: OpRule = {
  differentiable: 'all',
  backward(ctx, [g]) {
    const rank = ctx.shape(ctx.output(0)).length;
    const axis = normalizeAxis(ctx.attrs.int('axis', 0), rank);
    let offset = 0;
    return ctx.node.inputs.map((name, i) => {
      if (ctx.isBatchAxis(name, axis)) ctx.unsupported('concatenation along the batch axis');
      const size = ctx.shape(name)[axis]!;
      const start = offset;
      offset += size;
      return ctx.needsGrad(i) ? ctx.emit.slice(g!, [start], [start + size], [axis]) : undefined;
    });
  },
};

const split: OpRule = {
  differentiable: [0],
  backward(ctx, grads) {
    const x = ctx.input(0);
    const rank = ctx.shape(x).length;
    const axis = normalizeAxis(ctx.attrs.int('axis', 0), rank);
    if (ctx.isBatchAxis(x, axis)) ctx.unsupported('splitting along the batch axis');
    const parts = ctx.node.outputs.map((name, i) => grads[i] ?? ctx.emit.zerosLike(name));
    return [ctx.emit.concat(parts, axis)];
  },
};

/**
 * The elements a Slice reads along an axis of `size`, with ONNX's clamping of the bounds, as a
 * first index, a positive step and a count; `reversed` when the Slice reads them backwards
 * (a negative step, as exporters write torch.flip).
 */
function readSpan(start: number, end: number, step: number, size: number): { start: number; step: number; count: number; reversed: boolean } {
  const wrap = (v: number): number => (v < 0 ? v + size : v);
  if (step > 0) {
    const first = Math.min(Math.max(wrap(start), 0), size);
    const count = Math.max(0, Math.ceil((Math.min(Math.max(wrap(end), 0), size) - first) / step));
    return { start: first, step, count, reversed: false };
  }
  const first = Math.min(Math.max(wrap(start), 0), size - 1);
  const count = Math.max(0, Math.ceil((first - Math.min(Math.max(wrap(end), -1), size - 1)) / -step));
  return { start: first + (count - 1) * step, step: -step, count, reversed: true };
}

const slice: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
    const x = ctx.input(0);
    const dims = ctx.shape(x);
    const starts = known(ctx, 1, 'Slice starts')!;
    const ends = known(ctx, 2, 'Slice ends')!;
    const axes = known(ctx, 3, 'Slice axes') ?? starts.map((_, i) => i);
    const steps = known(ctx, 4, 'Slice steps') ?? starts.map(() => 1);
    const e = ctx.emit;
    let grad = g!;
    const pads = new Array<number>(dims.length * 2).fill(0);
    // Whether `grad` is still the slice's gradient as it came (no reversal, no interleaved zeros).
    let plain = true;
    // The current extent of `grad` per axis, as strided axes are spread back one by one.
    const current = [...ctx.shape(ctx.output(0))];
    axes.forEach((rawAxis, i) => {
      const axis = normalizeAxis(rawAxis, dims.length);
      const size = dims[axis]!;
      if (steps[i] === 0) ctx.unsupported('Slice with step 0');
      if (ctx.isBatchAxis(x, axis)) {
        if (starts[i] === 0 && ends[i]! >= size && steps[i] === 1) return;
        ctx.unsupported('slicing the batch axis');
      }
      const { start, step, count, reversed } = readSpan(starts[i]!, ends[i]!, steps[i]!, size);
      // A negative step reads the same elements backwards: reverse the gradient, then as step > 0.
      if (reversed) grad = e.slice(grad, [-1], [-(2 ** 53)], [axis], [-1]);
      if (reversed || step > 1) plain = false;
      if (step > 1) {
        // Interleave step-1 zeros after every element: [.., n, ..] -> [.., n, step, ..] -> [.., n*step, ..]
        const expanded = e.unsqueeze(grad, [axis + 1]);
        const widen = new Array<number>((current.length + 1) * 2).fill(0);
        widen[current.length + 1 + axis + 1] = step - 1;
        const spread = e.pad(expanded, widen);
        // 0 copies a dimension from the input: the batch axis (which precedes `axis`) stays dynamic.
        const flat = current.map((d, k) => (k === axis ? count * step : k < axis && ctx.isBatchAxis(x, k) ? 0 : d));
        if (current.some((_, k) => k > axis && ctx.isBatchAxis(x, k))) ctx.unsupported('a strided slice before the batch axis');
        grad = e.reshape(spread, e.ints(flat));
        // The interleaved tensor is count * step long; keep only what fits in x after `start`.
        const keep = Math.min(count * step, size - start);
        if (keep < count * step) grad = e.slice(grad, [0], [keep], [axis]);
        current[axis] = keep;
        pads[axis] = start;
        pads[dims.length + axis] = size - start - keep;
      } else {
        pads[axis] = start;
        pads[dims.length + axis] = size - start - count;
      }
    });
    const padded = dims.map((_, axis) => axis).filter((axis) => pads[axis] !== 0 || pads[dims.length + axis] !== 0);
    if (padded.length === 0) return [grad];
    if (plain && padded.length === 1) {
      // A window along one axis: sums of windows that tile it become a Concat (Emitter.sum).
      const axis = padded[0]!;
      const size = dims[axis]!;
      return [e.placeWindow(grad, { axis, start: pads[axis]!, length: size - pads[axis]! - pads[dims.length + axis]!, size, rank: dims.length })];
    }
    return [e.pad(grad, pads)];
  },
};

export const shapeRules: RuleFamily = {
  title: 'Shapes',
  summary: 'Shape operands must be constants, or shape arithmetic that does not depend on the batch.',
  rules: {
    Flatten: documented(reshapeBack),
    Reshape: documented(reshapeBack),
    Squeeze: documented(reshapeBack, { forms: 'axes as an attribute (before opset 13) or an input (13+), or none' }),
    Unsqueeze: documented(reshapeBack, { forms: 'axes as an attribute (before opset 13) or an input (13+)' }),
    Transpose: documented(transpose, { forms: 'perm given or omitted (reversed axes)' }),
    Expand: documented(expand, { note: 'the gradient is summed over the expanded axes' }),
    Tile: documented(tile, { note: 'not along the batch axis' }),
    Concat: documented(concat, { note: 'not along the batch axis' }),
    Split: documented(split, {
      forms: 'split sizes as an attribute (before 13) or an input (13+), equal parts, num_outputs (18+)',
      note: 'outputs not used downstream get zero gradient',
    }),
    DepthToSpace: documented(depthToSpace, { forms: 'modes DCR and CRD' }),
    SpaceToDepth: documented(spaceToDepth),
    Slice: documented(slice, { forms: 'starts, ends, axes, steps as inputs; negative and clamped bounds; negative steps (torch.flip)' }),
  },
};
