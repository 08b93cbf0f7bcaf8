import { z } from 'zod';
import { metricCatalogue } from '../../../shared/metrics/catalogue';

/** The metric catalogue for clients, parameter schemas as JSON Schema (for forms and `lumen metrics`). */
export function describeMetrics(): Array<{
  id: string;
  category: string;
  label: string;
  summary: string;
  higherIsBetter: boolean;
  needsGroundTruth: boolean;
  reference: string;
  params: Record<string, unknown>;
}> {
  return metricCatalogue.map(({ params, ...entry }) => ({ ...entry, params: z.toJSONSchema(params, { io: 'input' }) as Record<string, unknown> }));
}
