import type { OpRule } from '../rule';
import { contractAxis } from './axis-map';

/** M[c][k] = 1 when channel k lies in the window of channel c: [c - floor((size-1)/2), c + ceil((size-1)/2)]. */
function windowMatrix(channels: number, size: number): Float32Array {
  const m = new Float32Array(channels * channels);
  const [below, above] = [Math.floor((size - 1) / 2), Math.ceil((size - 1) / 2)];
  for (let c = 0; c < channels; c++) for (let k = Math.max(0, c - below); k <= Math.min(channels - 1, c + above); k++) m[c * channels + k] = 1;
  return m;
}

function transposed(m: Float32Array, n: number): Float32Array {
  const t = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = m[i * n + j]!;
  return t;
}

/**
 * Local response normalisation across channels: y = x d^-beta, d = bias + alpha/size S(x²), S the
 * sum over each channel's window. dx = g d^-beta - (2 alpha beta / size) x Sᵀ(g x d^(-beta-1)).
 * Both window sums are products with a 0/1 channel matrix along axis 1.
 */
export const lrn: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
    const e = ctx.emit;
    const x = ctx.input(0);
    const rank = ctx.shape(x).length;
    const channels = ctx.shape(x)[1]!;
    const size = ctx.attrs.int('size', 1);
    const [alpha, beta, bias] = [ctx.attrs.float('alpha', 1e-4), ctx.attrs.float('beta', 0.75), ctx.attrs.float('bias', 1)];
    const m = windowMatrix(channels, size);
    // S(v) = M v along the channels: contractAxis multiplies by its matrix's transpose, so pass Mᵀ.
    const windowSum = (v: string): string => contractAxis(e, v, rank, 1, transposed(m, channels), channels, channels);
    const d = e.add(e.scalar(bias), e.mul(e.scalar(alpha / size), windowSum(e.mul(x, x))));
    const scale = e.op('Pow', [d, e.scalar(-beta)]);
    const inner = e.mul(e.mul(g!, x), e.div(scale, d));
    const spread = contractAxis(e, inner, rank, 1, m, channels, channels);
    return [e.sub(e.mul(g!, scale), e.mul(e.scalar((2 * alpha * beta) / size), e.mul(x, spread)))];
  },
};
