/**
 * The token grid view of a layer: a transformer's token sequence [batch, extra + H·W, C] read as a
 * C x H x W feature map, so the CAM family works on vision transformers as on CNNs, with no
 * `reshape_transform` from the user.
 *
 * The rule: a rank-3 float tensor [1, N, C] (at batch 1, so per-head [heads, N, d] and Swin's
 * windowed [windows, w·w, C] tensors are not read as grids) is a token layer when N = extra + H·W,
 * where
 * - extra (0 to 8, and under half the patches) is the number of class, distillation and register tokens, which come first (as in
 *   torchvision's ViT, timm's ViT and DeiT, DINOv2 with registers) and are dropped;
 * - H x W is the patch grid: the spatial size of a feature map earlier in the graph (the
 *   patch-embedding Conv's output) when one matches; otherwise the grid with the input's aspect
 *   ratio whose cells tile the input exactly (input 224 x 224, patch 16: 14 x 14).
 * A feature map's grid wins over the input's, then the fewest extra tokens; patches are row-major (token extra + y·W + x is cell (y, x)).
 * A feature map [1, C, H, W] flattened to [1, C, H·W] (the patch embedding before its transpose) is
 * not a token sequence, even when C would fit a grid.
 */
export interface TokenGrid {
  /** Tokens before the patches (class, distillation, register), dropped from the grid. */
  extraTokens: number;
  height: number;
  width: number;
}

/** At most this many tokens precede the patches (DINOv2 with registers has 5). */
export const MAX_EXTRA_TOKENS = 8;

/** The patch grids a token count may match, most trusted first. */
export interface GridEvidence {
  /**
   * Spatial sizes [H, W] of the feature maps before the tokens, latest first (the patch
   * embedding's), with their channel count C where known.
   */
  featureMaps: Array<[number, number] | [number, number, number]>;
  inputHeight: number;
  inputWidth: number;
}

/** The grid of `tokens` patches with the input's aspect whose cells divide the input evenly, if any. */
function gridFromInput(tokens: number, inputHeight: number, inputWidth: number): [number, number] | undefined {
  for (let height = 1; height <= tokens; height++) {
    if (tokens % height !== 0) continue;
    const width = tokens / height;
    if (height * inputWidth !== width * inputHeight) continue;
    if (inputHeight % height === 0 && inputWidth % width === 0) return [height, width];
  }
  return undefined;
}

/** How a [1, N, C] tensor maps to a patch grid, or undefined when it is not a token sequence. */
export function tokenGridOf(shape: readonly number[], evidence: GridEvidence): TokenGrid | undefined {
  if (shape.length !== 3 || shape[0] !== 1) return undefined;
  const [, count, channels] = shape as [number, number, number];
  if (channels < 2) return undefined;
  // [1, C, H·W] is a feature map flattened channels first (torch's `x.flatten(2)` before `.transpose(1, 2)`), not C tokens.
  if (evidence.featureMaps.some(([h, w, c]) => c === count && h * w === channels)) return undefined;
  // The feature maps are asked first for every count of extra tokens: they are the patch grid itself.
  const sources = [
    (patches: number) => evidence.featureMaps.find(([h, w]) => h * w === patches),
    (patches: number) => gridFromInput(patches, evidence.inputHeight, evidence.inputWidth),
  ];
  for (const gridOf of sources) {
    // Fewer extra tokens than half the patches, so a short sequence is not read as a 2 x 2 grid and its padding.
    for (let extraTokens = 0; extraTokens <= MAX_EXTRA_TOKENS && 2 * extraTokens < count - extraTokens; extraTokens++) {
      const grid = gridOf(count - extraTokens);
      if (grid && grid[0] >= 2 && grid[1] >= 2) return { extraTokens, height: grid[0], width: grid[1] };
    }
  }
  return undefined;
}
