import type { AttributionResult } from '../../../../shared/contract/attribution';
import type { Layout } from '../../../../shared/model-card';
import { heatmapOf, type HeatMap } from '../heatmap';

/** An attribution's display map: height x width, channels summed (the sign is kept). */
export function reduceToMap(result: AttributionResult, layout: Layout): HeatMap {
  return heatmapOf(result, { reduction: 'sum', layout });
}
