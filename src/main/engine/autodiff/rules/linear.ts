import { documented, type BackwardContext, type OpRule, type RuleFamily } from '../rule';
import { sumToShape, unbroadcast } from './broadcast';

/** Swaps the last two axes of a tensor of the given rank. */
function swapLast(ctx: BackwardContext, x: string, rank: number): string {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 1] = rank - 2;
  perm[rank - 2] = rank - 1;
  return ctx.emit.transpose(x, perm);
}

/** The broadcast batch dims of a matmul of shapes a and b (both rank >= 2). */
function matmulFull(a: number[], b: number[], last: [number, number]): number[] {
  const batchA = a.slice(0, -2);
  const batchB = b.slice(0, -2);
  const rank = Math.max(batchA.length, batchB.length);
  const batch: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = batchA[batchA.length - rank + i] ?? 1;
    const db = batchB[batchB.length - rank + i] ?? 1;
    batch.push(Math.max(da, db));
  }
  return [...batch, ...last];
}

const matMul: OpRule = {
  differentiable: 'all',
  backward(ctx, [g]) {
    const e = ctx.emit;
    const [a, b] = [ctx.input(0), ctx.input(1)];
    let [sa, sb] = [ctx.shape(a), ctx.shape(b)];
    // A vector operand is a matrix with a unit axis that the output does not have.
    let gy = g!;
    let av = a;
    let bv = b;
    if (sa.length === 1) {
      av = e.unsqueeze(a, [0]);
      sa = [1, sa[0]!];
      gy = e.unsqueeze(gy, [ctx.shape(ctx.output(0)).length - 1]);
    }
    if (sb.length === 1) {
      bv = e.unsqueeze(b, [1]);
      sb = [sb[0]!, 1];
      gy = e.unsqueeze(gy, [-1]);
    }
    const [m, k] = sa.slice(-2) as [number, number];
    const n = sb[sb.length - 1]!;
    const grads: Array<string | undefined> = [undefined, undefined];
    if (ctx.needsGrad(0)) {
      const full = e.op('MatMul', [gy, swapLast(ctx, bv, sb.length)]);
      let ga = sumToShape(ctx, full, matmulFull(sa, sb, [m, k]), sa, av);
      if (ctx.shape(a).length === 1) ga = e.reshapeLike(ga, a);
      grads[0] = ga;
    }
    if (ctx.needsGrad(1)) {
      const full = e.op('MatMul', [swapLast(ctx, av, sa.length), gy]);
      let gb = sumToShape(ctx, full, matmulFull(sa, sb, [k, n]), sb, bv);
      if (ctx.shape(b).length === 1) gb = e.reshapeLike(gb, b);
      grads[1] = gb;
    }
    return grads;
  },
};

const gemm: OpRule = {
  // Y = alpha * op(A) op(B) + beta * C, op = optional transpose.
  differentiable: 'all',
  backward(ctx, [g]) {
    const e = ctx.emit;
    const alpha = ctx.attrs.float('alpha', 1);
    const beta = ctx.attrs.float('beta', 1);
    const transA = ctx.attrs.int('transA', 0);
    const transB = ctx.attrs.int('transB', 0);
    const [a, b] = [ctx.input(0), ctx.input(1)];
    const grads: Array<string | undefined> = [undefined, undefined, undefined];
    if (ctx.needsGrad(0)) {
      // dA' = alpha g B'^T; A = A' or A'^T
      grads[0] = transA
        ? e.op('Gemm', [b, g!], { alpha: { float: alpha }, transA: transB ? 1 : 0, transB: 1 })
        : e.op('Gemm', [g!, b], { alpha: { float: alpha }, transB: transB ? 0 : 1 });
    }
    if (ctx.needsGrad(1)) {
      // dB' = alpha A'^T g
      grads[1] = transB
        ? e.op('Gemm', [g!, a], { alpha: { float: alpha }, transA: 1, transB: transA ? 1 : 0 })
        : e.op('Gemm', [a, g!], { alpha: { float: alpha }, transA: transA ? 0 : 1 });
    }
    if (ctx.node.inputs[2] && ctx.needsGrad(2)) {
      grads[2] = unbroadcast(ctx, beta === 1 ? g! : e.mul(g!, e.scalar(beta)), ctx.output(0), ctx.input(2));
    }
    return grads;
  },
};

export const linearRules: RuleFamily = {
  title: 'Matrix products',
  summary: 'Both operands may depend on the input (attention: Q Kᵀ, softmax · V); constant operands are weights, differentiated only for full retraining.',
  rules: {
    MatMul: documented(matMul, { forms: 'batched, broadcast batch dims, 1-D vector operands' }),
    Gemm: documented(gemm, { forms: 'transA, transB, alpha, beta, optional C (broadcast)' }),
  },
};
