import type { BackwardContext, OpRule, RuleTable } from '../rule';
import { unbroadcast } from './broadcast';

/** Ops that only move values around: their gradient moves the gradient back. */
const reshapeBack: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
    return [ctx.emit.reshapeLike(g!, ctx.input(0))];
  },
};

function normalizeAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** Integer inputs of a node that must be known when compiling (Slice bounds, Pad widths, split sizes). */
function known(ctx: BackwardContext, index: number, what: string): number[] | undefined {
  const name = ctx.node.inputs[index];
  if (!name) return undefined;
  const values = ctx.knownInts(name);
  if (!values) ctx.unsupported(`${what} computed at run time`);
  return values;
}

export const shapeRules: RuleTable = {
  Flatten: reshapeBack,
  Reshape: reshapeBack,
  Squeeze: reshapeBack,
  Unsqueeze: reshapeBack,
  Transpose: {
    differentiable: [0],
    backward(ctx, [g]) {
      const rank = ctx.shape(ctx.input(0)).length;
      const perm = ctx.attrs.ints('perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
      const inverse = new Array<number>(rank);
      perm.forEach((p, i) => (inverse[p] = i));
      return [ctx.emit.transpose(g!, inverse)];
    },
  },
  Expand: {
    differentiable: [0],
    backward(ctx, [g]) {
      return [unbroadcast(ctx, g!, ctx.output(0), ctx.input(0))];
    },
  },
  Tile: {
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
  },
  Concat: {
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
  },
  Split: {
    differentiable: [0],
    backward(ctx, grads) {
      const x = ctx.input(0);
      const rank = ctx.shape(x).length;
      const axis = normalizeAxis(ctx.attrs.int('axis', 0), rank);
      if (ctx.isBatchAxis(x, axis)) ctx.unsupported('splitting along the batch axis');
      const parts = ctx.node.outputs.map((name, i) => grads[i] ?? ctx.emit.zerosLike(name));
      return [ctx.emit.concat(parts, axis)];
    },
  },
  Slice: {
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
      // The current extent of `grad` per axis, as strided axes are spread back one by one.
      const current = [...ctx.shape(ctx.output(0))];
      axes.forEach((rawAxis, i) => {
        const axis = normalizeAxis(rawAxis, dims.length);
        const size = dims[axis]!;
        const step = steps[i]!;
        if (step <= 0) ctx.unsupported('Slice with a negative step');
        if (ctx.isBatchAxis(x, axis)) {
          if (starts[i] === 0 && ends[i]! >= size && step === 1) return;
          ctx.unsupported('slicing the batch axis');
        }
        const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
        const start = clamp(starts[i]!);
        const count = Math.max(0, Math.ceil((clamp(ends[i]!) - start) / step));
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
      return [pads.some((p) => p !== 0) ? e.pad(grad, pads) : grad];
    },
  },
  Pad: {
    differentiable: [0],
    backward(ctx, [g]) {
      const mode = ctx.attrs.string('mode', 'constant');
      if (mode !== 'constant') ctx.unsupported(`Pad mode "${mode}"`);
      const x = ctx.input(0);
      const rank = ctx.shape(x).length;
      const raw = known(ctx, 1, 'Pad widths') ?? ctx.attrs.ints('pads') ?? [];
      const axes = (known(ctx, 3, 'Pad axes') ?? Array.from({ length: rank }, (_, i) => i)).map((a) => normalizeAxis(a, rank));
      const pads = new Array<number>(rank * 2).fill(0);
      axes.forEach((a, i) => {
        pads[a] = raw[i]!;
        pads[rank + a] = raw[axes.length + i]!;
      });
      // Positive padding is cut off again; negative padding (a crop) is filled back with zeros.
      const e = ctx.emit;
      const outDims = ctx.shape(ctx.output(0));
      const sliceAxes: number[] = [];
      const starts: number[] = [];
      const ends: number[] = [];
      const refill = new Array<number>(rank * 2).fill(0);
      for (let a = 0; a < rank; a++) {
        const [before, after] = [pads[a]!, pads[rank + a]!];
        if (before > 0 || after > 0) {
          sliceAxes.push(a);
          starts.push(Math.max(before, 0));
          ends.push(outDims[a]! - Math.max(after, 0));
        }
        refill[a] = Math.max(-before, 0);
        refill[rank + a] = Math.max(-after, 0);
      }
      let grad = sliceAxes.length > 0 ? e.slice(g!, starts, ends, sliceAxes) : g!;
      if (refill.some((p) => p !== 0)) grad = e.pad(grad, refill);
      return [grad];
    },
  },
  Gather: {
    differentiable: [0],
    backward(ctx, [g]) {
      // Multiply by a one-hot matrix: duplicated indices add up, as they must.
      const x = ctx.input(0);
      const dims = ctx.shape(x);
      const axis = normalizeAxis(ctx.attrs.int('axis', 0), dims.length);
      if (ctx.isBatchAxis(x, axis)) ctx.unsupported('gathering along the batch axis');
      const indicesName = ctx.input(1);
      const indices = ctx.knownInts(indicesName);
      if (!indices) return ctx.unsupported('Gather indices computed at run time');
      const size = dims[axis]!;
      const n = indices.length;
      const onehot = new Float32Array(n * size);
      indices.forEach((v, i) => (onehot[i * size + (v < 0 ? v + size : v)] = 1));
      const e = ctx.emit;
      const post = dims.slice(axis + 1);
      if (post.some((_, i) => ctx.isBatchAxis(x, axis + 1 + i))) ctx.unsupported('Gather before the batch axis');
      const postSize = post.reduce((a, b) => a * b, 1);
      // g: [pre..., idx..., post...] -> [P, n, post] -> [P, post, n] @ [n, size] -> [P, post, size] -> [P, size, post]
      const grouped = e.reshape(g!, e.ints([-1, n, postSize]));
      const moved = e.op('MatMul', [e.transpose(grouped, [0, 2, 1]), e.floats(onehot, [n, size])]);
      return [e.reshapeLike(e.transpose(moved, [0, 2, 1]), x)];
    },
  },
};
