import { CamParams, GuidedGradCamParams } from '../../../../shared/methods/cam-methods';
import { gradientRuleSet } from '../../autodiff/rule-set';
import { guidedBackpropMethod } from '../gradient';
import { defineMethod } from '../method';
import { toInputResolution, weightedSum } from './feature-map';
import { findGapLinearHead } from './gap-linear';
import { gradCamMethod } from './grad-cam';

/**
 * CAM (Zhou et al. 2016): for a model ending in global average pooling and a linear layer, the
 * class weights themselves weight the last feature map. Forward pass only.
 */
export const camMethod = defineMethod({
  id: 'cam',
  schema: CamParams,
  async attributeMany(ctx, inputs, params) {
    const card = ctx.model.resolved.card;
    const head = findGapLinearHead(ctx.model.model, card.output.name);
    const layer = await ctx.layer(head.layer);
    const graph = await ctx.graph(gradientRuleSet, 'logit', { taps: [layer.name], inputGradient: false });
    const rows = await graph.run(
      inputs.map((input) => ({ input })),
      graph.seedFor(ctx.target),
      ctx.runOptions,
    );
    const weights = head.weights.subarray(ctx.target * head.channels, (ctx.target + 1) * head.channels);
    return rows.map((row) => ({ map: toInputResolution(weightedSum(row.taps[0]!.value, weights, layer), layer, ctx, params.relu), figures: {} }));
  },
});

/** Guided Grad-CAM (Selvaraju et al. 2017): guided backprop times the upsampled Grad-CAM, per channel. */
export const guidedGradCamMethod = defineMethod({
  id: 'guided-grad-cam',
  schema: GuidedGradCamParams,
  async attributeMany(ctx, inputs, params) {
    const cams = await gradCamMethod.attributeMany(ctx, inputs, { ...(params.layer ? { layer: params.layer } : {}), objective: params.objective, relu: true });
    const guided = await guidedBackpropMethod.attributeMany(ctx, inputs, { objective: params.objective });
    const { height: H, width: W, layout } = ctx.pixels;
    const channels = ctx.pixels.channels;
    return guided.map((g, i) => {
      const cam = cams[i]!.map;
      const map = new Float32Array(g.map.length);
      for (let k = 0; k < map.length; k++) map[k] = g.map[k]! * cam[layout === 'NCHW' ? k % (H * W) : Math.floor(k / channels)]!;
      return { map, figures: {} };
    });
  },
});
