import type { BackwardContext } from '../rule';

/** A possibly negative axis as an index into the dims. */
export function normalizeAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** Integer inputs of a node that must be known when compiling (Slice bounds, Pad widths, split sizes). */
export function known(ctx: BackwardContext, index: number, what: string): number[] | undefined {
  const name = ctx.node.inputs[index];
  if (!name) return undefined;
  const values = ctx.knownInts(name);
  if (!values) ctx.unsupported(`${what} computed at run time`);
  return values;
}
