import { z } from 'zod';
import { metricCatalogue } from '../../../shared/metrics/catalogue';
import { metricMeaning, type MetricDirection } from '../../../shared/metrics/metric-meaning';

/** The metric catalogue for clients, parameter schemas as JSON Schema (for forms and `lumen metrics`). */
export function describeMetrics(): Array<{
  id: string;
  category: string;
  label: string;
  summary: string;
  higherIsBetter: boolean;
  direction: MetricDirection;
  needsGroundTruth: boolean;
  reference: string;
  params: Record<string, unknown>;
}> {
  return metricCatalogue.map(({ params, ...entry }) => ({
    ...entry,
    direction: metricMeaning(entry.id)!.direction,
    params: z.toJSONSchema(params, { io: 'input' }) as Record<string, unknown>,
  }));
}
