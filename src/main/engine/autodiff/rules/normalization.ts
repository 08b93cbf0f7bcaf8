import { documented, type BackwardContext, type OpRule, type RuleFamily } from '../rule';
import { floatValues } from '../../onnx/tensor-values';
import { lrn } from './lrn';
import { normalizeAxis } from './operands';

/** A per-channel vector shaped [C, 1, ..., 1] to broadcast over an NC... tensor of `rank`. */
function perChannel(ctx: BackwardContext, v: string, rank: number): string {
  const trailing = Array.from({ length: rank - 2 }, (_, i) => i + 1);
  return trailing.length > 0 ? ctx.emit.unsqueeze(v, trailing) : v;
}

/**
 * The backward of normalising over `axes` and scaling by `gamma`:
 * dx = rstd * (gg - mean(gg) - xhat * mean(gg * xhat)), with gg = g * gamma.
 */
function normalizeBackward(ctx: BackwardContext, g: string, x: string, axes: number[], epsilon: number, gamma: string): string {
  const e = ctx.emit;
  const mean = e.reduce('ReduceMean', x, axes);
  const centred = e.sub(x, mean);
  const variance = e.reduce('ReduceMean', e.mul(centred, centred), axes);
  const rstd = e.div(e.scalar(1), e.op('Sqrt', [e.add(variance, e.scalar(epsilon))]));
  const xhat = e.mul(centred, rstd);
  const gg = e.mul(g, gamma);
  const inner = e.sub(e.sub(gg, e.reduce('ReduceMean', gg, axes)), e.mul(xhat, e.reduce('ReduceMean', e.mul(gg, xhat), axes)));
  return e.mul(rstd, inner);
}

const batchNormalization: OpRule = {
  // Inference form: y = (x - mean) / sqrt(var + eps) * scale + bias, an affine map per channel.
  differentiable: [0],
  // Training graphs train the scale and bias; the running statistics stay as they are.
  parameters: [1, 2],
  frozen: [3, 4],
  backward(ctx, [g]) {
    if (ctx.attrs.int('training_mode', 0) === 1) ctx.unsupported('BatchNormalization in training mode');
    const e = ctx.emit;
    const rank = ctx.shape(ctx.input(0)).length;
    const epsilon = ctx.attrs.float('epsilon', 1e-5);
    const [scale, variance] = [ctx.constant(ctx.input(1)), ctx.constant(ctx.input(4))];
    let factor: string;
    if (scale && variance) {
      const s = floatValues(scale);
      const v = floatValues(variance);
      factor = e.floats(Array.from(s, (si, i) => si / Math.sqrt(v[i]! + epsilon)));
    } else {
      factor = e.div(ctx.input(1), e.op('Sqrt', [e.add(ctx.input(4), e.scalar(epsilon))]));
    }
    const dx = e.mul(g!, perChannel(ctx, factor, rank));
    if (!ctx.needsGrad(1) && !ctx.needsGrad(2)) return [dx];
    // d scale = sum g * xhat, d bias = sum g, over the batch and the spatial axes.
    const axes = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)];
    const grads: Array<string | undefined> = [dx, undefined, undefined];
    if (ctx.needsGrad(1)) {
      const rstd = e.div(e.scalar(1), e.op('Sqrt', [e.add(ctx.input(4), e.scalar(epsilon))]));
      const xhat = e.mul(e.sub(ctx.input(0), perChannel(ctx, ctx.input(3), rank)), perChannel(ctx, rstd, rank));
      grads[1] = e.reduceSum(e.mul(g!, xhat), axes, false);
    }
    if (ctx.needsGrad(2)) grads[2] = e.reduceSum(g!, axes, false);
    return grads;
  },
};

/**
 * dx = rstd * (gg - mean(gg) - xhat * mean(gg * xhat)), gg = g * scale, as normalizeBackward, but
 * xhat and rstd come from a second LayerNormalization of x (unit scale, no bias; its InvStdDev
 * output): one fused kernel instead of recomputing the mean, the centred values, the variance and
 * the square root, and the forward keeps nothing but x (transformers normalise 25 times or more).
 * Training graphs also get the scale's and bias's gradients, summed over the axes before `axis`.
 */
const layerNormalization: OpRule = {
  differentiable: [0],
  parameters: [1, 2],
  backward(ctx, [g]) {
    const e = ctx.emit;
    const x = ctx.input(0);
    const dims = ctx.shape(x);
    const axis = normalizeAxis(ctx.attrs.int('axis', -1), dims.length);
    const axes = Array.from({ length: dims.length - axis }, (_, i) => axis + i);
    if (axes.some((a) => ctx.isBatchAxis(x, a))) {
      // Normalising across the batch (axis 0): the unit scale would need the batch's size.
      if (ctx.needsGrad(1) || ctx.needsGrad(2)) ctx.unsupported('training a LayerNormalization that normalises across the batch axis');
      return [normalizeBackward(ctx, g!, x, axes, ctx.attrs.float('epsilon', 1e-5), ctx.input(1))];
    }
    const [xhat, , invStdDev] = e.node('LayerNormalization', [x, e.ones(dims.slice(axis))], { axis, epsilon: ctx.attrs.float('epsilon', 1e-5) }, 3);
    const grads: Array<string | undefined> = [undefined, undefined, undefined];
    if (ctx.needsGrad(0)) {
      // InvStdDev is float32 (the default stash type) whatever x is; Cast says so to type inference.
      const rstd = e.op('Cast', [invStdDev!], { to: 1 });
      const gg = e.mul(g!, ctx.input(1));
      const inner = e.sub(e.sub(gg, e.reduce('ReduceMean', gg, axes)), e.mul(xhat!, e.reduce('ReduceMean', e.mul(gg, xhat!), axes)));
      grads[0] = e.mul(rstd, inner);
    }
    const leading = Array.from({ length: axis }, (_, i) => i);
    const overLeading = (t: string, like: string): string => e.reshape(leading.length > 0 ? e.reduceSum(t, leading, false) : t, e.ints(ctx.shape(like)));
    if (ctx.needsGrad(1)) grads[1] = overLeading(e.mul(g!, xhat!), ctx.input(1));
    if (ctx.needsGrad(2)) grads[2] = overLeading(g!, ctx.input(2));
    return grads;
  },
};

const instanceNormalization: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
    const x = ctx.input(0);
    const rank = ctx.shape(x).length;
    const axes = Array.from({ length: rank - 2 }, (_, i) => i + 2);
    return [normalizeBackward(ctx, g!, x, axes, ctx.attrs.float('epsilon', 1e-5), perChannel(ctx, ctx.input(1), rank))];
  },
};

/**
 * GroupNormalization normalises [N, G, C/G * spatial] over its last axis, then scales per channel:
 * the gradient is scaled per channel, then goes through the normalisation of each group. Its scale
 * has one value per group at opset 18 and per channel at 21; a per-group scale is repeated over
 * the group's channels.
 */
const groupNormalization: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
    const e = ctx.emit;
    const x = ctx.input(0);
    const dims = ctx.shape(x);
    const channels = dims[1]!;
    const groups = ctx.attrs.int('num_groups', 0);
    if (groups <= 0 || channels % groups !== 0) ctx.unsupported(`num_groups ${groups} does not divide ${channels} channels`);
    let scale = ctx.input(1);
    if (ctx.shape(scale)[0] !== channels) {
      // [G] -> [G, 1] -> [G, C/G] -> [C]
      scale = e.reshape(e.op('Expand', [e.unsqueeze(scale, [1]), e.ints([groups, channels / groups])]), e.ints([channels]));
    }
    const scaled = e.mul(g!, perChannel(ctx, scale, dims.length));
    const grouped = e.ints([0, groups, -1]);
    const dx = normalizeBackward(ctx, e.reshape(scaled, grouped), e.reshape(x, grouped), [2], ctx.attrs.float('epsilon', 1e-5), e.scalar(1));
    return [e.reshapeLike(dx, x)];
  },
};

/**
 * LpNormalization, y = x / n with n = ||x||_p along one axis (p 1 or 2):
 * dx = (g - s ⊙ sum(g ⊙ y)) / n, where s = dn/dx is y for p = 2 and sign(x) for p = 1.
 */
const lpNormalization: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
    const e = ctx.emit;
    const [x, y] = [ctx.input(0), ctx.output(0)];
    const rank = ctx.shape(x).length;
    const axis = ctx.attrs.int('axis', -1);
    const axes = [axis < 0 ? axis + rank : axis];
    const p = ctx.attrs.int('p', 2);
    if (p !== 1 && p !== 2) ctx.unsupported(`LpNormalization with p = ${p}`);
    const norm = p === 2 ? e.op('Sqrt', [e.reduceSum(e.mul(x, x), axes)]) : e.reduceSum(e.op('Abs', [x]), axes);
    const slope = p === 2 ? y : e.op('Sign', [x]);
    return [e.div(e.sub(g!, e.mul(slope, e.reduceSum(e.mul(g!, y), axes))), norm)];
  },
};

export const normalizationRules: RuleFamily = {
  title: 'Normalisation',
  summary: 'Scales and biases are weights. The statistics of LayerNormalization, InstanceNormalization and GroupNormalization depend on the input and are differentiated.',
  rules: {
    BatchNormalization: documented(batchNormalization, {
      forms: 'inference form (training_mode 0)',
      note: 'an affine map per channel; full retraining trains scale and bias, not the running statistics',
    }),
    LayerNormalization: documented(layerNormalization, {
      forms: 'opset 17+, any axis (normalising all axes from it on), with or without bias',
      note: 'training graphs train scale and bias; the layer norm that exporters spell out before opset 17 is compiled as one LayerNormalization',
    }),
    InstanceNormalization: documented(instanceNormalization),
    GroupNormalization: documented(groupNormalization, { forms: 'opset 18 (scale and bias per group) and 21 (per channel)' }),
    LpNormalization: documented(lpNormalization, { forms: 'p 1 or 2, any axis' }),
    LRN: documented(lrn, { note: 'across channels (AlexNet, GoogLeNet and Inception v1 exports)' }),
  },
};
