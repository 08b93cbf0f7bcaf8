import { LumenError } from '../../../../shared/errors';
import { AttentionRolloutParams } from '../../../../shared/methods/attention-methods';
import { resizeBilinear } from '../../image/resize-bilinear';
import { defineMethod } from '../method';
import { attentionBlocks } from './attention-maps';
import { rollout } from './rollout';
import { attentionGrid } from './token-grid';

/**
 * Attention rollout (Abnar and Zuidema 2020) for any ONNX transformer: one forward pass returns
 * the attention probabilities of every block (found in the graph as the Softmax over the key
 * axis), which are fused over heads, thinned by the discard ratio, made residual-aware and
 * multiplied across blocks. The class token's row over the patch tokens, on the patch grid and
 * upsampled bilinearly to the input, is the map (without a class token: the mean of all rows;
 * distillation and register tokens are left out of the grid).
 * It does not depend on the target: attention is the same whatever class is explained.
 */
export const attentionRolloutMethod = defineMethod({
  id: 'attention-rollout',
  schema: AttentionRolloutParams,
  async attributeMany(ctx, inputs, params) {
    const { height: H, width: W } = ctx.pixels;
    const results = [];
    for (const input of inputs) {
      if (ctx.runOptions.signal?.aborted) throw new LumenError('cancelled', 'The operation was cancelled.');
      const blocks = await attentionBlocks(ctx.model, input, ctx.inputDims);
      const tokens = blocks[0]!.tokens;
      const grid = attentionGrid(tokens, H, W);
      const flow = rollout(blocks, params.headFusion, params.discardRatio, grid.classToken);
      const patches = grid.rows * grid.cols;
      const tokenMap = flow.subarray(grid.firstPatch, grid.firstPatch + patches);
      ctx.runOptions.onRows?.(results.length + 1, inputs.length);
      results.push({
        map: resizeBilinear(tokenMap, grid.rows, grid.cols, H, W),
        figures: { blocks: blocks.length, heads: blocks[0]!.heads, tokens, gridRows: grid.rows, gridCols: grid.cols, forwardPasses: 1 },
        notes: ['Attention rollout does not depend on the target class: every class gets this map.'],
      });
    }
    return results;
  },
});
