import type { OpRule } from '../rule';

/**
 * DepthToSpace and SpaceToDepth permute elements, so their backward is the inverse permutation:
 * SpaceToDepth undoes DepthToSpace in DCR mode (and DepthToSpace in DCR mode undoes SpaceToDepth);
 * CRD mode is undone by the reshape-transpose-reshape it is defined by, run backwards.
 */
export const depthToSpace: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
    const e = ctx.emit;
    const b = ctx.attrs.int('blocksize', 1);
    if (ctx.attrs.string('mode', 'DCR') === 'DCR') return [e.op('SpaceToDepth', [g!], { blocksize: b })];
    // CRD: y[c, h b + i, w b + j] = x[c b² + i b + j, h, w]
    const [, c, h, w] = ctx.shape(ctx.input(0)) as [number, number, number, number];
    const blocks = e.reshape(g!, e.ints([0, c / (b * b), h, b, w, b]));
    return [e.reshape(e.transpose(blocks, [0, 1, 3, 5, 2, 4]), e.ints([0, c, h, w]))];
  },
};

export const spaceToDepth: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
    return [ctx.emit.op('DepthToSpace', [g!], { blocksize: ctx.attrs.int('blocksize', 1), mode: 'DCR' })];
  },
};
