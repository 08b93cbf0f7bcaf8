import { LumenError } from '../../../../shared/errors';
import { GenericAttentionParams } from '../../../../shared/methods/attention-methods';
import { gradientRuleSet } from '../../autodiff/rule-set';
import { resizeBilinear } from '../../image/resize-bilinear';
import { defineMethod, type Attribution } from '../method';
import { attentionTapGraph, tappedAttention, type TappedAttention } from './attention-gradients';
import { gradientWeightedBlocks, relevanceRollout } from './relevance-rollout';
import { attentionGrid } from './token-grid';

/**
 * The patch-grid map of a relevance rollout over weighted blocks: the readout row over the patch
 * tokens, upsampled bilinearly to the input (distillation and register tokens left out).
 */
export function rolloutMap(blocks: TappedAttention[], weighted: Float64Array[], height: number, width: number): Attribution {
  const tokens = blocks[0]!.tokens;
  const grid = attentionGrid(tokens, height, width);
  const flow = relevanceRollout(weighted, tokens, grid.classToken);
  const tokenMap = flow.subarray(grid.firstPatch, grid.firstPatch + grid.rows * grid.cols);
  return {
    map: resizeBilinear(tokenMap, grid.rows, grid.cols, height, width),
    figures: { blocks: blocks.length, heads: blocks[0]!.heads, tokens, gridRows: grid.rows, gridCols: grid.cols, forwardPasses: 1, backwardPasses: 1 },
  };
}

/**
 * Generic attention explainability (Chefer, Gur and Wolf 2021b, the self-attention case) for any
 * ONNX transformer: one forward and one backward pass of the compiled gradient graph return every
 * block's attention probabilities A (the Softmax over the key axis, found in the graph) and
 * ∂y/∂A, tapped together; each block gives Ā = E_h[(∇A ⊙ A)^+] and the relevance rollout
 * R = (I + Ā_L) ... (I + Ā_1) is read at the class token's row. Unlike attention rollout the map
 * depends on the target class.
 */
export const genericAttentionMethod = defineMethod({
  id: 'attention-generic',
  schema: GenericAttentionParams,
  perInputTargets: true,
  async attributeMany(ctx, inputs, params) {
    const { height: H, width: W } = ctx.pixels;
    if (ctx.runOptions.signal?.aborted) throw new LumenError('cancelled', 'The operation was cancelled.');
    const graph = await attentionTapGraph(ctx, gradientRuleSet, params.objective, 'Generic attention');
    const perInput = await tappedAttention(ctx, graph, inputs, 'Generic attention');
    return perInput.map(({ blocks }) => rolloutMap(blocks, gradientWeightedBlocks(blocks), H, W));
  },
});
