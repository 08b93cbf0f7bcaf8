import { LumenError } from '../../../../shared/errors';

/** Where the patch tokens are in a token sequence and the grid they tile. */
export interface TokenGrid {
  /** Index of the class token, or undefined when every token is a patch. */
  classToken: number | undefined;
  /** Index of the first patch token (patches are contiguous, row-major). */
  firstPatch: number;
  rows: number;
  cols: number;
}

/**
 * The patch grid of `tokens` tokens for an input of height x width: a class token first and
 * rows x cols patches with the input's aspect ratio (ViT, DeiT), or patches only (global-pool
 * transformers). Other layouts (distillation or register tokens) are refused, not guessed.
 */
export function tokenGrid(tokens: number, height: number, width: number): TokenGrid {
  const grid = (patches: number): { rows: number; cols: number } | undefined => {
    for (let rows = 1; rows <= patches; rows++) {
      if (patches % rows !== 0) continue;
      const cols = patches / rows;
      if (rows * width === cols * height) return { rows, cols };
    }
    return undefined;
  };
  const withClass = tokens > 1 ? grid(tokens - 1) : undefined;
  if (withClass) return { classToken: 0, firstPatch: 1, ...withClass };
  const patchesOnly = grid(tokens);
  if (patchesOnly) return { classToken: undefined, firstPatch: 0, ...patchesOnly };
  throw new LumenError(
    'unsupported-model',
    `The attention blocks attend over ${tokens} tokens, which is neither a class token plus a patch grid nor a patch grid with the input's ${height} x ${width} aspect ratio.`,
    'Attention rollout handles ViT-style token sequences (a class token, then the patches); use a gradient method for this model.',
  );
}
