import { documented, type BackwardContext, type OpRule, type RuleFamily } from '../rule';
import { normalizeAxis } from './operands';

/** Gather with indices known when compiling: a product with a one-hot matrix, so repeated indices add up. */
const gather: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
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
};

/** Whether the known indices of a scatter write some element twice (which then wins is unspecified). */
function writesTwice(targets: Iterable<string>): boolean {
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t)) return true;
    seen.add(t);
  }
  return false;
}

/** The elements ScatterElements writes: each index position with its axis coordinate replaced by the index. */
function* elementTargets(indices: number[], shape: number[], axis: number, size: number): Generator<string> {
  const position = new Array<number>(shape.length).fill(0);
  for (const v of indices) {
    const target = [...position];
    target[axis] = v < 0 ? v + size : v;
    yield target.join(',');
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++position[d]! < shape[d]!) break;
      position[d] = 0;
    }
  }
}

/** The slices ScatterND writes: each row of the last axis of the indices, made non-negative. */
function* sliceTargets(indices: number[], depth: number, dims: number[]): Generator<string> {
  for (let r = 0; r < indices.length; r += depth) yield indices.slice(r, r + depth).map((v, k) => (v < 0 ? v + dims[k]! : v)).join(',');
}

/**
 * Scatter (replace or add) of `updates` into `data`: data's gradient is g where nothing was
 * replaced (all of g when adding); the updates' gradient is g gathered at the indices. Replacing
 * the same element twice makes the result depend on the runtime's order, so it is refused when the
 * indices are known.
 */
function scatterBackward(ctx: BackwardContext, g: string, kind: 'elements' | 'nd'): Array<string | undefined> {
  const e = ctx.emit;
  const [data, indices, updates] = [ctx.input(0), ctx.input(1), ctx.input(2)];
  const reduction = ctx.attrs.string('reduction', 'none');
  if (reduction !== 'none' && reduction !== 'add') ctx.unsupported(`scatter with reduction "${reduction}"`);
  const dims = ctx.shape(data);
  const axis = normalizeAxis(ctx.attrs.int('axis', 0), dims.length);
  const known = ctx.knownInts(indices);
  if (reduction === 'none' && known) {
    const shape = ctx.shape(indices);
    const targets = kind === 'elements' ? elementTargets(known, shape, axis, dims[axis]!) : sliceTargets(known, shape[shape.length - 1]!, dims);
    if (writesTwice(targets)) ctx.unsupported('scatter indices that write the same element twice');
  }
  const scatterOp = kind === 'elements' ? 'ScatterElements' : 'ScatterND';
  const gatherOp = kind === 'elements' ? 'GatherElements' : 'GatherND';
  const attrs: Record<string, number> = kind === 'elements' ? { axis } : {};
  let dData: string | undefined;
  if (ctx.needsGrad(0)) dData = reduction === 'add' ? g : e.op(scatterOp, [g, indices, e.zerosLike(updates)], attrs);
  const dUpdates = ctx.needsGrad(2) ? e.op(gatherOp, [g, indices], attrs) : undefined;
  return [dData, undefined, dUpdates];
}

/** GatherElements and GatherND: the gradient is scattered back, adding where indices repeat. */
const gatherElements: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
    const axis = normalizeAxis(ctx.attrs.int('axis', 0), ctx.shape(ctx.input(0)).length);
    const zeros = ctx.emit.zerosLike(ctx.input(0));
    return [ctx.emit.op('ScatterElements', [zeros, ctx.input(1), g!], { axis, reduction: 'add' })];
  },
};

const gatherND: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
    if (ctx.attrs.int('batch_dims', 0) !== 0) ctx.unsupported('GatherND with batch_dims');
    const zeros = ctx.emit.zerosLike(ctx.input(0));
    return [ctx.emit.op('ScatterND', [zeros, ctx.input(1), g!], { reduction: 'add' })];
  },
};

/** TopK's values are elements of x: their gradient goes back to where the indices say they came from. */
const topK: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
    const x = ctx.input(0);
    const axis = normalizeAxis(ctx.attrs.int('axis', -1), ctx.shape(x).length);
    return [ctx.emit.op('ScatterElements', [ctx.emit.zerosLike(x), ctx.output(1), g!], { axis, reduction: 'add' })];
  },
};

const scatter = (kind: 'elements' | 'nd'): OpRule => ({
  differentiable: [0, 2],
  backward: (ctx, [g]) => scatterBackward(ctx, g!, kind),
});

export const indexingRules: RuleFamily = {
  title: 'Indexing',
  summary: 'Indices are not differentiated. Gathers scatter their gradient back, adding where indices repeat.',
  rules: {
    Gather: documented(gather, { note: 'indices known when compiling; not along the batch axis' }),
    GatherElements: documented(gatherElements, { note: 'indices may be computed at run time' }),
    TopK: documented(topK, { forms: 'K as an input (opset 10+), largest and smallest, sorted or not', note: 'the values are differentiated, the indices are not' }),
    GatherND: documented(gatherND, { forms: 'batch_dims 0', note: 'indices may be computed at run time' }),
    ScatterElements: documented(scatter('elements'), {
      forms: 'reduction none or add (opset 16+)',
      note: 'gradient to data (where not overwritten) and to the updates; known indices must not write an element twice',
    }),
    ScatterND: documented(scatter('nd'), {
      forms: 'reduction none or add (opset 16+)',
      note: 'gradient to data (where not overwritten) and to the updates; known indices must not write an element twice',
    }),
  },
};
