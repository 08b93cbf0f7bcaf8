import { documented, type BackwardContext, type OpRule, type RuleFamily } from '../rule';
import { contractAxis } from './axis-map';
import { known, normalizeAxis } from './operands';

/** [begin..., end...] per axis of x, from the pads input (opset 11+) or attribute, over `axes` (opset 18+). */
function padWidths(ctx: BackwardContext, rank: number): number[] {
  const raw = known(ctx, 1, 'Pad widths') ?? ctx.attrs.ints('pads') ?? [];
  const axes = (known(ctx, 3, 'Pad axes') ?? Array.from({ length: rank }, (_, i) => i)).map((a) => normalizeAxis(a, rank));
  const pads = new Array<number>(rank * 2).fill(0);
  axes.forEach((a, i) => {
    pads[a] = raw[i]!;
    pads[rank + a] = raw[axes.length + i]!;
  });
  return pads;
}

/** Constant padding: positive padding is cut off again; negative padding (a crop) is filled back with zeros. */
function constantBackward(ctx: BackwardContext, g: string, pads: number[]): string {
  const e = ctx.emit;
  const rank = pads.length / 2;
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
  let grad = sliceAxes.length > 0 ? e.slice(g, starts, ends, sliceAxes) : g;
  if (refill.some((p) => p !== 0)) grad = e.pad(grad, refill);
  return grad;
}

/** The input index that output index `o` reads along an axis of `size` padded by `before`. */
function source(mode: string, o: number, before: number, size: number): number {
  let i = o - before;
  if (mode === 'edge') return Math.min(Math.max(i, 0), size - 1);
  if (mode === 'wrap') return ((i % size) + size) % size;
  // reflect: mirror about the first and last elements (which are not repeated)
  const period = 2 * (size - 1);
  if (period === 0) return 0;
  i = ((i % period) + period) % period;
  return i < size ? i : period - i;
}

/**
 * Reflect, edge and wrap padding copy input elements: along each padded axis the output is A x
 * with A [out, in] a 0/1 matrix of which element each position reads, and the backward is Aᵀ g.
 * The axes are independent (the corners read the input by both axes' maps), so the maps compose.
 */
function copyingBackward(ctx: BackwardContext, g: string, pads: number[], mode: string): string {
  const x = ctx.input(0);
  const dims = ctx.shape(x);
  const rank = dims.length;
  let grad = g;
  for (let a = 0; a < rank; a++) {
    const [before, after] = [pads[a]!, pads[rank + a]!];
    if (before === 0 && after === 0) continue;
    if (ctx.isBatchAxis(x, a)) ctx.unsupported(`${mode} padding along the batch axis`);
    const size = dims[a]!;
    if (mode === 'reflect' && (before >= size || after >= size)) ctx.unsupported(`reflect padding of ${Math.max(before, after)} along an axis of ${size}`);
    const out = size + before + after;
    const matrix = new Float32Array(out * size);
    for (let o = 0; o < out; o++) matrix[o * size + source(mode, o, before, size)] = 1;
    grad = contractAxis(ctx.emit, grad, rank, a, matrix, out, size);
  }
  return grad;
}

const pad: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
    const mode = ctx.attrs.string('mode', 'constant');
    const pads = padWidths(ctx, ctx.shape(ctx.input(0)).length);
    if (mode === 'constant') return [constantBackward(ctx, g!, pads)];
    if (mode === 'reflect' || mode === 'edge' || mode === 'wrap') return [copyingBackward(ctx, g!, pads, mode)];
    return ctx.unsupported(`Pad mode "${mode}"`);
  },
};

export const padRules: RuleFamily = {
  title: 'Padding',
  summary: 'Pad widths must be constants, or shape arithmetic that does not depend on the batch.',
  rules: {
    Pad: documented(pad, {
      forms: 'pads, constant_value (opset 11+) and axes (18+) as inputs; modes constant (also negative pads: a crop), reflect, edge, wrap (19+)',
      note: 'the constant value is not differentiated; reflect, edge and wrap pad spatial axes, not the batch',
    }),
  },
};
