import type { OpRule } from '../rule';
import { modified, modifiedBias, redistribute, requireLinear, signParts, stabilize, type BiasUse } from './rules';

/**
 * Gamma rule in Zennit's generalised form (Montavon et al. 2019; Andéol et al. 2021): outputs that
 * are positive take relevance through the weights w + gamma w+ for positive inputs and
 * w + gamma w- for negative ones (the bias b + gamma b+ with the first), negative outputs through
 * the mirrored pairs (b + gamma b-). With gamma 0 it is the epsilon-free LRP-0 rule; growing gamma
 * favours positive contributions, towards z+.
 */
export function gammaRule(gamma: number, bias: BiasUse = 'keep', epsilon = 1e-6): OpRule {
  return {
    differentiable: [0],
    backward(ctx, [relevance]) {
      const e = ctx.emit;
      const layer = requireLinear(ctx);
      const x = layer.input;
      const [xPos, xNeg] = signParts(ctx, x);
      const up = modified(ctx, layer, (w) => w + gamma * Math.max(w, 0));
      const down = modified(ctx, layer, (w) => w + gamma * Math.min(w, 0));
      const biasOf = (f: (b: number) => number): string | undefined => (bias === 'keep' ? modifiedBias(ctx, layer, f) : undefined);
      const z = ctx.output(0);
      const zero = e.scalar(0);
      const onPositive = e.mask(e.op('Greater', [z, zero]), relevance!);
      const onNegative = e.mask(e.op('Less', [z, zero]), relevance!);
      const positive = redistribute(ctx, layer, onPositive, [[xPos, up], [xNeg, down]], biasOf((b) => b + gamma * Math.max(b, 0)), epsilon);
      const negative = redistribute(ctx, layer, onNegative, [[xPos, down], [xNeg, up]], biasOf((b) => b + gamma * Math.min(b, 0)), epsilon);
      return [e.add(positive, negative)];
    },
  };
}

/** Per-channel bounds of the input a z-box layer reads (one value, or one per channel). */
export interface Box {
  low: number[];
  high: number[];
}

/**
 * z^B rule for the first layer of a bounded input (Montavon et al. 2017; Zennit's ZBox):
 * z = W x - W+ l - W- h (the bias cancels), R = x W^T s - l W+^T s - h W-^T s with
 * s = R / stabilize(z), l and h the lowest and highest values each input channel can take.
 */
export function zBoxRule(box: Box, epsilon = 1e-6): OpRule {
  return {
    differentiable: [0],
    backward(ctx, [relevance]) {
      const e = ctx.emit;
      const layer = requireLinear(ctx);
      const x = layer.input;
      const dims = ctx.shape(x);
      const channels = ctx.node.opType === 'Conv' ? dims[1]! : 1;
      if (box.low.length !== box.high.length || (box.low.length !== 1 && box.low.length !== channels)) {
        ctx.unsupported(`the z-box bounds have ${box.low.length} and ${box.high.length} values; the layer reads ${channels} channel${channels === 1 ? '' : 's'} (give 1 or ${channels})`);
      }
      // Bounds laid along the channel axis of a Conv input ([1, C, 1, ...]), or one scalar.
      const boundDims = box.low.length === 1 ? [] : dims.map((d, axis) => (axis === 1 ? d : 1));
      const bound = (values: number[]): string => e.expandLike(e.floats(values, boundDims), x);
      const [low, high] = [bound(box.low), bound(box.high)];
      const wPos = modified(ctx, layer, (w) => Math.max(w, 0));
      const wNeg = modified(ctx, layer, (w) => Math.min(w, 0));
      const z = e.sub(e.sub(layer.forward(x, ctx.input(1)), layer.forward(low, wPos)), layer.forward(high, wNeg));
      const s = e.div(relevance!, stabilize(ctx, z, epsilon));
      const fromX = e.mul(x, layer.transpose(s, ctx.input(1)));
      return [e.sub(e.sub(fromX, e.mul(low, layer.transpose(s, wPos))), e.mul(high, layer.transpose(s, wNeg)))];
    },
  };
}
