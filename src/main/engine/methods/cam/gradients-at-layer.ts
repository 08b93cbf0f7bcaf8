import type { SpatialLayer } from '../../attribution/layers';
import { gradientRuleSet } from '../../autodiff/rule-set';
import type { Objective } from '../../autodiff/objective';
import { targetOf, type MethodContext } from '../method';

/**
 * The feature map and its gradient for each input: one forward and one partial backward pass
 * (the backward stops at the layer; nothing below it is differentiated).
 */
export async function gradientsAtLayer(
  ctx: MethodContext,
  inputs: Float32Array[],
  layerName: string | undefined,
  objective: Objective,
): Promise<{ layer: SpatialLayer; rows: Array<{ values: Float32Array; gradient: Float32Array }> }> {
  const layer = await ctx.layer(layerName);
  const graph = await ctx.graph(gradientRuleSet, objective, { taps: [layer.name], inputGradient: false });
  const rows = await graph.run(
    inputs.map((input, i) => ({ input, seed: graph.seedFor(targetOf(ctx, i)) })),
    graph.seedFor(ctx.target),
    ctx.runOptions,
  );
  return { layer, rows: rows.map((r) => ({ values: r.taps[0]!.value.slice(), gradient: r.taps[0]!.gradient.slice() })) };
}
