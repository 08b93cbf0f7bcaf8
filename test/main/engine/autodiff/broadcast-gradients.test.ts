import fc from 'fast-check';
import { describe, it } from 'vitest';
import { rng } from '../../../helpers/gradient-check';
import { expectGradient, type GradientCase } from '../../../helpers/gradient-check-f64';

/**
 * Broadcasting operators on random shapes: a random full shape, from which each operand keeps a
 * random suffix with random axes set to 1, so every pair broadcasts and the gradient has to be
 * summed back over different axes each time. Float64 finite differences, as the operator table.
 */
const full = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 });

/** A shape that broadcasts to `dims`: a suffix of it with some axes reduced to 1. */
function operand(dims: number[], keep: number, ones: boolean[]): number[] {
  return dims.slice(dims.length - Math.max(1, Math.min(keep, dims.length))).map((d, i) => (ones[i] ? 1 : d));
}

const flags = (n: number): fc.Arbitrary<boolean[]> => fc.array(fc.boolean(), { minLength: n, maxLength: n });

const shapes = fc
  .record({ dims: full, keepX: fc.integer({ min: 1, max: 4 }), keepC: fc.integer({ min: 0, max: 4 }), onesX: flags(4), onesC: flags(4), seed: fc.nat() })
  .map(({ dims, keepX, keepC, onesX, onesC, seed }) => ({ x: operand(dims, keepX, onesX), c: keepC === 0 ? [] : operand(dims, keepC, onesC), seed }));

function constant(dims: number[], seed: number, low = -1, high = 1): { floats: number[]; dims: number[] } {
  const r = rng(seed + 1);
  return { floats: Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => low + (high - low) * r()), dims };
}

function bools(dims: number[], seed: number): { bools: boolean[]; dims: number[] } {
  const r = rng(seed + 2);
  return { bools: Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => r() < 0.5), dims };
}

const operators: Record<string, (s: { x: number[]; c: number[]; seed: number }) => GradientCase> = {
  'Add, x first': (s) => ({ op: 'Add', x: s.x, inputs: ['x', constant(s.c, s.seed)] }),
  'Sub, x second': (s) => ({ op: 'Sub', x: s.x, inputs: [constant(s.c, s.seed), 'x'] }),
  'Mul, x second': (s) => ({ op: 'Mul', x: s.x, inputs: [constant(s.c, s.seed), 'x'] }),
  'Div, x as the numerator': (s) => ({ op: 'Div', x: s.x, inputs: ['x', constant(s.c, s.seed, 0.5, 2)] }),
  'Div, x as the denominator': (s) => ({ op: 'Div', x: s.x, inputs: [constant(s.c, s.seed), 'x'], values: 'positive' }),
  'Pow, broadcast exponent': (s) => ({ op: 'Pow', x: s.x, inputs: ['x', constant(s.c, s.seed, 1, 3)], values: 'positive' }),
  'Max of x, a constant and x': (s) => ({ op: 'Max', x: s.x, inputs: ['x', constant(s.c, s.seed), 'x'], values: 'spaced' }),
  'Min of a constant and x': (s) => ({ op: 'Min', x: s.x, inputs: [constant(s.c, s.seed), 'x'], values: 'spaced' }),
  'Sum of x, a constant and x': (s) => ({ op: 'Sum', x: s.x, inputs: ['x', constant(s.c, s.seed), 'x'] }),
  'Mean of three operands': (s) => ({ op: 'Mean', x: s.x, inputs: [constant(s.c, s.seed), 'x', 'x'], float32: true }),
  'Where, broadcast condition, x in one branch': (s) => ({ op: 'Where', x: s.x, inputs: [bools(s.c, s.seed), constant(s.x.slice(1), s.seed), 'x'] }),
  'Expand x to the full shape': (s) => ({ op: 'Expand', x: s.x, inputs: ['x', { ints: s.c.length > 0 ? s.c : [1] }] }),
};

/** Matrix products with broadcast batch axes: x [...bx, m, k] @ c [...bc, k, n], or c @ x. */
const products = fc
  .record({
    batch: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
    mkn: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 3 }),
    keepX: fc.integer({ min: 0, max: 2 }),
    keepC: fc.integer({ min: 0, max: 2 }),
    onesX: flags(2),
    onesC: flags(2),
    xFirst: fc.boolean(),
    seed: fc.nat(),
  })
  .map(({ batch, mkn: [m, k, n], keepX, keepC, onesX, onesC, xFirst, seed }): GradientCase => {
    const prefix = (keep: number, ones: boolean[]): number[] => batch.slice(batch.length - Math.min(keep, batch.length)).map((d, i) => (ones[i] ? 1 : d));
    const left = [...prefix(keepX, onesX), m!, k!];
    const right = [...prefix(keepC, onesC), k!, n!];
    return xFirst ? { op: 'MatMul', x: left, inputs: ['x', constant(right, seed)] } : { op: 'MatMul', x: right, inputs: [constant(left, seed), 'x'] };
  });

describe('broadcasting gradients on random shapes', () => {
  it('MatMul with broadcast batch axes, x on either side', async () => {
    await fc.assert(
      fc.asyncProperty(products, async (c) => expectGradient(c)),
      { seed: 15, numRuns: 12 },
    );
  });

  for (const [name, make] of Object.entries(operators)) {
    it(name, async () => {
      await fc.assert(
        fc.asyncProperty(shapes, async (s) => expectGradient(make(s))),
        { seed: 15, numRuns: 12 },
      );
    });
  }
});
