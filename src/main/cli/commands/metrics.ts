import { z } from 'zod';
import { defineCommand } from '../command';
import { openLocalApi } from '../local-api';
import { paramLines } from '../print-params';
import { directionText } from '../../../shared/metrics/metric-meaning';

export const metricsCommand = defineCommand({
  name: 'metrics',
  summary: 'List the evaluation metrics and their parameters',
  usage: 'lumen metrics [--json]',
  options: { json: { type: 'boolean', description: 'Print the catalogue as JSON (parameters as JSON Schema)' } },
  schema: z.object({ json: z.boolean().default(false) }).strict(),
  examples: ['lumen metrics'],
  async run(args, io) {
    const { api, close } = openLocalApi();
    try {
      const metrics = await api.call('metrics.list', {});
      if (args.json) {
        io.out(JSON.stringify(metrics, null, 2));
        return 0;
      }
      for (const m of metrics) {
        const needs = m.needsGroundTruth ? ', needs ground truth' : '';
        io.out(`${m.id}  (${m.category}, ${directionText[m.direction]}${needs}): ${m.label}. ${m.summary} [${m.reference}]`);
        for (const line of paramLines(m.params)) io.out(line);
      }
      return 0;
    } finally {
      await close();
    }
  },
});
