import { LumenError } from '../../../../shared/errors';
import { TransformerAttributionParams } from '../../../../shared/methods/attention-methods';
import { compositeRuleSet } from '../../autodiff/lrp/composites';
import { asExportedGradientRuleSet } from '../../autodiff/rule-set';
import { defineMethod } from '../method';
import { attentionTapGraph, tappedAttention } from './attention-gradients';
import { rolloutMap } from './generic-attention';
import { weightedHeads } from './relevance-rollout';

const name = 'Transformer attribution';

/**
 * Transformer attribution (Chefer, Gur and Wolf 2021a, "Transformer Interpretability Beyond
 * Attention Visualization") for any ONNX transformer: each block's attention A weighted by its
 * gradient and by its LRP relevance, Ā = E_h[(∇A ⊙ R^(A))^+], then the relevance rollout of
 * generic attention. Two compiled graphs, each a forward and a backward pass with every
 * attention Softmax output tapped (the gradient graph gives A and ∇A, the LRP graph the relevance
 * at A), merged into one model that onnxruntime runs once: the forward pass is done once and both
 * backward passes follow it (paired-graph.ts). The relevance follows AttnLRP's rules (Achtibat et al. 2024: epsilon on linear
 * layers, LayerNorm's std detached, the softmax rule, half of a bilinear product's relevance to
 * each operand, identity on GELU), started from 1 at the target logit as in the paper; the paper's
 * own LRP variant (alpha-beta on linear layers, identity on LayerNorm) is not what is used here.
 * In the LRP graph what flows back is relevance, so the tap's "gradient" is R^(A) itself.
 */
export const transformerAttributionMethod = defineMethod({
  id: 'transformer-attribution',
  schema: TransformerAttributionParams,
  perInputTargets: true,
  async attributeMany(ctx, inputs) {
    const { height: H, width: W } = ctx.pixels;
    if (ctx.runOptions.signal?.aborted) throw new LumenError('cancelled', 'The operation was cancelled.');
    const paired = await attentionTapGraph(ctx, asExportedGradientRuleSet, 'logit', name, compositeRuleSet('attn-lrp', { startRelevance: 'one' }));
    const rows = await tappedAttention(ctx, paired, inputs, name);
    return rows.map(({ blocks: both, objective }) => {
      // The gradient graph's taps come first, then the LRP graph's at the same tensors.
      const blocks = both.slice(0, both.length / 2);
      const relevance = both.slice(both.length / 2);
      if (relevance.length !== blocks.length || relevance.some((r, b) => r.tensor !== blocks[b]!.tensor)) {
        throw new LumenError('internal', `${name}: the gradient and LRP graphs tapped different attention tensors.`);
      }
      const weighted = blocks.map((b, k) => weightedHeads(b.heads, b.tokens, b.signal, relevance[k]!.signal));
      const result = rolloutMap(blocks, weighted, H, W);
      const notes =
        objective < 0
          ? [`The target's logit is negative (${objective.toPrecision(3)}): LRP started from 1 there gives relevance of the opposite sign to the gradient, so few products ∇A ⊙ R(A) are positive and the map is nearly empty. Generic attention does not have this limitation.`]
          : [];
      return { ...result, figures: { ...result.figures, logit: objective, forwardPasses: 1, backwardPasses: 2 }, notes };
    });
  },
});
