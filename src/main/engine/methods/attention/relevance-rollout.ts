import type { TappedAttention } from './attention-gradients';

/**
 * One block's gradient-weighted attention, Ā = E_h[(G ⊙ X)^+] (Chefer, Gur and Wolf 2021): the
 * element-wise product of the signal G at the attention (its gradient) and X (the attention
 * itself for generic attention, its LRP relevance for transformer attribution), negative parts
 * dropped, then the mean over heads (the papers fuse heads by the mean only). [T, T], row = query.
 */
export function weightedHeads(heads: number, tokens: number, signal: Float32Array, weighed: ArrayLike<number>): Float64Array {
  const size = tokens * tokens;
  const fused = new Float64Array(size);
  for (let h = 0; h < heads; h++) {
    const offset = h * size;
    for (let i = 0; i < size; i++) {
      const v = signal[offset + i]! * weighed[offset + i]!;
      if (v > 0) fused[i]! += v;
    }
  }
  for (let i = 0; i < size; i++) fused[i]! /= heads;
  return fused;
}

/**
 * The relevance rollout of both papers: R starts as the identity and each block, first to last,
 * adds its mixing of what came before, R ← R + Ā_b R, so R = (I + Ā_L) ... (I + Ā_1), with no
 * row normalisation (unlike attention rollout). Only the readout row u R is needed, so it is taken
 * from the left as a vector in O(L T²): u (I + Ā_L) ... (I + Ā_1). `readout` is the class token's
 * row, or, without a class token, the mean of all rows; the identity's own share u is taken off
 * (u (R - I)), so the map holds only what the attention brought to the readout (with a class token
 * this changes only the class token's own entry, which the map does not show).
 */
export function relevanceRollout(blocks: Float64Array[], tokens: number, classToken: number | undefined): Float64Array {
  const start = new Float64Array(tokens);
  if (classToken !== undefined) start[classToken] = 1;
  else start.fill(1 / tokens);
  let flow = start;
  for (let l = blocks.length - 1; l >= 0; l--) {
    const a = blocks[l]!;
    const next = Float64Array.from(flow);
    for (let r = 0; r < tokens; r++) {
      const w = flow[r]!;
      if (w === 0) continue;
      for (let c = 0; c < tokens; c++) next[c]! += w * a[r * tokens + c]!;
    }
    flow = next;
  }
  for (let c = 0; c < tokens; c++) flow[c]! -= start[c]!;
  return flow;
}

/** Generic attention's blocks: each attention weighted by its own gradient. */
export function gradientWeightedBlocks(blocks: TappedAttention[]): Float64Array[] {
  return blocks.map((b) => weightedHeads(b.heads, b.tokens, b.signal, b.attention));
}
