import { documented, type RuleFamily } from '../rule';
import { pointwise } from './unary';

/**
 * Activation functions. Piecewise rules follow PyTorch's conventions at the kinks (the fixtures
 * come from PyTorch autograd): ReLU passes where x > 0; Clip passes where min <= x <= max
 * (torch.clamp); HardSigmoid and HardSwish use their open intervals.
 */
export const activationRules: RuleFamily = {
  title: 'Activations',
  summary: 'Kinks follow PyTorch autograd, which the whole-model fixtures come from.',
  rules: {
    Relu: pointwise((c, g, x) => c.emit.mask(c.emit.op('Greater', [x, c.emit.scalar(0)]), g), { note: 'passes where x > 0' }),
    LeakyRelu: pointwise((c, g, x) => {
      const e = c.emit;
      const alpha = c.attrs.float('alpha', 0.01);
      return e.where(e.op('Greater', [x, e.scalar(0)]), g, e.mul(g, e.scalar(alpha)));
    }),
    PRelu: documented(
      {
        differentiable: [0],
        backward(ctx, [g]) {
          const e = ctx.emit;
          const x = ctx.input(0);
          return [e.where(e.op('Greater', [x, e.scalar(0)]), g!, e.mul(g!, ctx.input(1)))];
        },
      },
      { note: 'slopes broadcast as in the forward; they are weights: no gradient' },
    ),
    Elu: pointwise((c, g, x, y) => {
      const e = c.emit;
      const alpha = c.attrs.float('alpha', 1);
      return e.where(e.op('Greater', [x, e.scalar(0)]), g, e.mul(g, e.add(y, e.scalar(alpha))));
    }),
    Celu: pointwise((c, g, x, y) => {
      // y = max(0, x) + min(0, alpha (exp(x / alpha) - 1)): below 0 the slope is exp(x / alpha) = y / alpha + 1.
      const e = c.emit;
      const alpha = c.attrs.float('alpha', 1);
      return e.where(e.op('Greater', [x, e.scalar(0)]), g, e.mul(g, e.add(e.mul(y, e.scalar(1 / alpha)), e.scalar(1))));
    }),
    Selu: pointwise((c, g, x, y) => {
      const e = c.emit;
      const alpha = c.attrs.float('alpha', 1.67326319217681884765625);
      const gamma = c.attrs.float('gamma', 1.05070102214813232421875);
      // x > 0: gamma; else gamma * alpha * exp(x) = y + gamma * alpha
      return e.where(e.op('Greater', [x, e.scalar(0)]), e.mul(g, e.scalar(gamma)), e.mul(g, e.add(y, e.scalar(gamma * alpha))));
    }),
    ThresholdedRelu: pointwise((c, g, x) => c.emit.mask(c.emit.op('Greater', [x, c.emit.scalar(c.attrs.float('alpha', 1))]), g), {
      note: 'passes where x > alpha',
    }),
    Sigmoid: pointwise((c, g, _x, y) => {
      const e = c.emit;
      return e.mul(g, e.mul(y, e.sub(e.scalar(1), y)));
    }, { note: 'a Sigmoid head is skipped by the default objective, which differentiates the logits' }),
    Tanh: pointwise((c, g, _x, y) => {
      const e = c.emit;
      return e.mul(g, e.sub(e.scalar(1), e.mul(y, y)));
    }),
    HardSigmoid: pointwise((c, g, _x, y) => {
      const e = c.emit;
      const alpha = c.attrs.float('alpha', 0.2);
      const inside = e.op('And', [e.op('Greater', [y, e.scalar(0)]), e.op('Less', [y, e.scalar(1)])]);
      return e.mask(inside, e.mul(g, e.scalar(alpha)));
    }, { note: 'slope alpha strictly inside (0, 1), zero at and beyond the bounds' }),
    HardSwish: pointwise((c, g, x) => {
      // y = x * clip(x/6 + 1/2, 0, 1): 0 below -3, (2x + 3)/6 up to 3, 1 above.
      const e = c.emit;
      const middle = e.mul(g, e.add(e.mul(x, e.scalar(1 / 3)), e.scalar(0.5)));
      return e.where(e.op('Less', [x, e.scalar(-3)]), e.scalar(0), e.where(e.op('LessOrEqual', [x, e.scalar(3)]), middle, g));
    }, { note: 'PyTorch\'s convention at -3 and 3' }),
    Mish: pointwise((c, g, x) => {
      // y = x tanh(softplus(x)): tanh(sp) + x sigmoid(x) (1 - tanh(sp)^2)
      const e = c.emit;
      const t = e.op('Tanh', [e.op('Softplus', [x])]);
      const dt = e.mul(e.mul(x, e.op('Sigmoid', [x])), e.sub(e.scalar(1), e.mul(t, t)));
      return e.mul(g, e.add(t, dt));
    }),
    Clip: documented(
      {
        differentiable: [0],
        backward(ctx, [g]) {
          const e = ctx.emit;
          const x = ctx.input(0);
          let keep: string | undefined;
          const min = ctx.node.inputs[1];
          const max = ctx.node.inputs[2];
          if (min) keep = e.op('GreaterOrEqual', [x, min]);
          if (max) {
            const upper = e.op('LessOrEqual', [x, max]);
            keep = keep ? e.op('And', [keep, upper]) : upper;
          }
          return [keep ? e.mask(keep, g!) : g];
        },
      },
      { forms: 'min and max as optional inputs (opset 11+), either may be absent', note: 'passes at its bounds (torch.clamp); bounds are not differentiated' },
    ),
    Gelu: pointwise((c, g, x) => {
      const e = c.emit;
      if (c.attrs.string('approximate', 'none') === 'tanh') {
        // y = x/2 (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x^3)
        const k = Math.sqrt(2 / Math.PI);
        const x2 = e.mul(x, x);
        const u = e.mul(e.scalar(k), e.add(x, e.mul(e.scalar(0.044715), e.mul(x2, x))));
        const t = e.op('Tanh', [u]);
        const du = e.mul(e.scalar(k), e.add(e.scalar(1), e.mul(e.scalar(3 * 0.044715), x2)));
        const left = e.mul(e.scalar(0.5), e.add(e.scalar(1), t));
        const right = e.mul(e.mul(e.scalar(0.5), x), e.mul(e.sub(e.scalar(1), e.mul(t, t)), du));
        return e.mul(g, e.add(left, right));
      }
      // y = x Phi(x): Phi(x) + x phi(x)
      const cdf = e.mul(e.scalar(0.5), e.add(e.scalar(1), e.op('Erf', [e.mul(x, e.scalar(Math.SQRT1_2))])));
      const pdf = e.mul(e.scalar(1 / Math.sqrt(2 * Math.PI)), e.op('Exp', [e.mul(e.scalar(-0.5), e.mul(x, x))]));
      return e.mul(g, e.add(cdf, e.mul(x, pdf)));
    }, { forms: 'opset 20+, approximate "none" (exact) or "tanh"' }),
  },
};
