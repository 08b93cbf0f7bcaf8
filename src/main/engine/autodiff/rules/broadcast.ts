import type { BackwardContext } from '../rule';

/**
 * The gradient of a broadcast operand: sum `g` (shaped like `outName`) over the axes along which
 * `inName` was broadcast, then reshape to `inName`'s shape. Axes come from the probed shapes,
 * which for batchable models were taken at batch 2, so an operand with a fixed first axis of 1
 * is summed over the batch as it must be.
 */
export function unbroadcast(ctx: BackwardContext, g: string, outName: string, inName: string): string {
  return sumToShape(ctx, g, ctx.shape(outName), ctx.shape(inName), inName);
}

/** As unbroadcast, with the full shape given explicitly (for results not yet in the graph). */
export function sumToShape(ctx: BackwardContext, g: string, full: number[], target: number[], targetName: string): string {
  const lead = full.length - target.length;
  const axes: number[] = [];
  for (let i = 0; i < full.length; i++) {
    if (i < lead) axes.push(i);
    else if (target[i - lead] === 1 && full[i] !== 1) axes.push(i);
  }
  if (axes.length === 0) return g;
  const reduced = ctx.emit.reduceSum(g, axes, true);
  return lead > 0 ? ctx.emit.reshapeLike(reduced, targetName) : reduced;
}
