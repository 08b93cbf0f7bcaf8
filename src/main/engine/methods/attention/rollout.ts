import type { AttentionBlock } from './attention-maps';
import { kthSmallest } from '../quantile';

export type HeadFusion = 'mean' | 'max' | 'min';

/** One block's heads combined into a single [T, T] attention matrix (row = query token). */
export function fuseHeads(block: AttentionBlock, fusion: HeadFusion): Float64Array {
  const { heads, tokens, data } = block;
  const size = tokens * tokens;
  const fused = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let acc = data[i]!;
    for (let h = 1; h < heads; h++) {
      const v = data[h * size + i]!;
      acc = fusion === 'mean' ? acc + v : fusion === 'max' ? Math.max(acc, v) : Math.min(acc, v);
    }
    fused[i] = fusion === 'mean' ? acc / heads : acc;
  }
  return fused;
}

/**
 * Zeroes the lowest floor(ratio * T * T) entries of a fused attention matrix (every entry at or
 * below the k-th smallest value), except in the class token's row: its attention is what the
 * rollout reads out, and dropping it would empty the map.
 */
export function discardLowest(fused: Float64Array, tokens: number, ratio: number, keepRow: number | undefined): void {
  const k = Math.floor(ratio * tokens * tokens);
  if (k <= 0) return;
  const threshold = kthSmallest(Float64Array.from(fused), k - 1);
  for (let i = 0; i < fused.length; i++) {
    if (keepRow !== undefined && Math.floor(i / tokens) === keepRow) continue;
    if (fused[i]! <= threshold) fused[i] = 0;
  }
}

/**
 * Attention rollout (Abnar and Zuidema 2020): each block's fused attention plus the identity (the
 * residual connection), rows normalised to sum to 1, multiplied across blocks: R = Â_L ... Â_1,
 * whose row i is how much each input token flows into token i. Only the readout row(s) of R are
 * needed, so the product is taken from the left as a vector, u Â_L ... Â_1 (the same numbers up
 * to rounding, in O(L T²) instead of O(L T³): 197 tokens and 12 blocks cost milliseconds).
 * `readout` is the class token's row, or, without a class token, the mean of all rows.
 */
export function rollout(blocks: AttentionBlock[], fusion: HeadFusion, discardRatio: number, classToken: number | undefined): Float64Array {
  const tokens = blocks[0]!.tokens;
  let flow = new Float64Array(tokens);
  if (classToken !== undefined) flow[classToken] = 1;
  else flow.fill(1 / tokens);
  for (let l = blocks.length - 1; l >= 0; l--) {
    const a = residualAttention(blocks[l]!, fusion, discardRatio, classToken);
    const next = new Float64Array(tokens);
    for (let r = 0; r < tokens; r++) {
      const w = flow[r]!;
      if (w === 0) continue;
      for (let c = 0; c < tokens; c++) next[c]! += w * a[r * tokens + c]!;
    }
    flow = next;
  }
  return flow;
}

/** Â = (A + I) with rows normalised to 1, A the block's fused (and thinned) attention. */
export function residualAttention(block: AttentionBlock, fusion: HeadFusion, discardRatio: number, classToken: number | undefined): Float64Array {
  const tokens = block.tokens;
  const a = fuseHeads(block, fusion);
  discardLowest(a, tokens, discardRatio, classToken);
  for (let r = 0; r < tokens; r++) {
    a[r * tokens + r]! += 1;
    let s = 0;
    for (let c = 0; c < tokens; c++) s += a[r * tokens + c]!;
    for (let c = 0; c < tokens; c++) a[r * tokens + c]! /= s;
  }
  return a;
}

