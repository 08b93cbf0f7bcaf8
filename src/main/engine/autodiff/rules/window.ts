import type { BackwardContext } from '../rule';

/** The geometry of a sliding-window op (Conv, pooling) along its spatial axes, pads made explicit. */
export interface WindowGeometry {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** [begin..., end...] as ONNX writes pads. */
  pads: number[];
  input: number[];
  output: number[];
}

/**
 * Reads kernel, strides, dilations and pads; auto_pad (SAME_UPPER/SAME_LOWER/VALID) is turned into
 * explicit pads using the probed input and output sizes.
 */
export function windowGeometry(ctx: BackwardContext, kernel: number[]): WindowGeometry {
  const x = ctx.shape(ctx.input(0)).slice(2);
  const y = ctx.shape(ctx.output(0)).slice(2);
  const n = kernel.length;
  const strides = ctx.attrs.ints('strides') ?? new Array<number>(n).fill(1);
  const dilations = ctx.attrs.ints('dilations') ?? new Array<number>(n).fill(1);
  const autoPad = ctx.attrs.string('auto_pad', 'NOTSET');
  let pads = ctx.attrs.ints('pads') ?? new Array<number>(2 * n).fill(0);
  if (autoPad === 'VALID') pads = new Array<number>(2 * n).fill(0);
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    pads = new Array<number>(2 * n).fill(0);
    for (let i = 0; i < n; i++) {
      const effective = (kernel[i]! - 1) * dilations[i]! + 1;
      const total = Math.max(0, (y[i]! - 1) * strides[i]! + effective - x[i]!);
      const small = Math.floor(total / 2);
      pads[i] = autoPad === 'SAME_UPPER' ? small : total - small;
      pads[n + i] = total - pads[i]!;
    }
  }
  return { kernel, strides, dilations, pads, input: x, output: y };
}

/**
 * Scatters a windowed gradient back onto the input grid with ConvTranspose: `g` (output grid)
 * convolved-transposed with `weight`, cut or zero-extended at the end so the result has exactly
 * the input's spatial size (windows may not reach the last rows when the stride skips them).
 */
export function transposeWindows(ctx: BackwardContext, g: string, weight: string, geo: WindowGeometry, group: number): string {
  const e = ctx.emit;
  const n = geo.kernel.length;
  const pads = [...geo.pads.slice(0, n), ...new Array<number>(n).fill(0)];
  const extend = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    const effective = (geo.kernel[i]! - 1) * geo.dilations[i]! + 1;
    const reach = geo.strides[i]! * (geo.output[i]! - 1) + effective - geo.pads[i]!;
    // Every window along this axis reads only the leading padding: no input element is read.
    if (reach <= 0) return e.zerosLike(ctx.input(0));
    const endPad = reach - geo.input[i]!;
    if (endPad >= 0) pads[n + i] = endPad;
    else extend[i] = -endPad;
  }
  const cropBegin = pads.slice(0, n).some((p) => p < 0);
  if (cropBegin) ctx.unsupported('negative padding');
  let result = e.op('ConvTranspose', [g, weight], { strides: geo.strides, dilations: geo.dilations, pads, group });
  if (extend.some((v) => v > 0)) result = e.pad(result, [0, 0, ...new Array<number>(n).fill(0), 0, 0, ...extend]);
  return result;
}
