import { LumenError } from '../../../../shared/errors';
import { MAX_EXTRA_TOKENS, tokenGridOf } from '../../attribution/token-grid';

/** Where the patch tokens are in the attention's token sequence and the grid they tile. */
export interface AttentionGrid {
  /** Index of the class token (the first token when any precede the patches), or undefined when every token is a patch. */
  classToken: number | undefined;
  /** Index of the first patch token (patches are contiguous, row-major). */
  firstPatch: number;
  rows: number;
  cols: number;
}

/**
 * The patch grid of an attention over `tokens` tokens for a height x width input, by the same
 * rule as the CAM family's token layers (attribution/token-grid.ts): up to 8 class, distillation
 * or register tokens first, then the patches with the input's aspect. The class token is the
 * first of the extra tokens (ViT, DeiT, DINOv2 with registers); without extra tokens there is none.
 */
export function attentionGrid(tokens: number, height: number, width: number): AttentionGrid {
  const grid = tokenGridOf([1, tokens, 2], { featureMaps: [], inputHeight: height, inputWidth: width });
  if (!grid) {
    throw new LumenError(
      'unsupported-model',
      `The attention blocks attend over ${tokens} tokens, which is not up to ${MAX_EXTRA_TOKENS} class or register tokens followed by a patch grid tiling the ${height} x ${width} input.`,
      'Attention rollout handles ViT-style token sequences (a class token, then the patches); use a gradient method for this model.',
    );
  }
  return { classToken: grid.extraTokens > 0 ? 0 : undefined, firstPatch: grid.extraTokens, rows: grid.height, cols: grid.width };
}
