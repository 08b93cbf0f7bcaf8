import { resolve } from 'node:path';
import { z } from 'zod';
import { defineCommand } from '../command';
import { ms } from '../format';
import { openLocalApi } from '../local-api';
import { findingAuditTable } from '../multilabel-output';
import { JsonObject, modelArgs, modelOptions, openModelParams } from './shared-options';
import { plural } from '../../../shared/plural';
import { metricHeading, metricMeaning } from '../../../shared/metrics/metric-meaning';

export const auditCommand = defineCommand({
  name: 'audit',
  summary: 'Audit a model on a project’s dataset: accuracy per class, metric summaries and flagged images (resumable)',
  usage: 'lumen audit --project P --dataset NAME [--model M.onnx] --method METHOD [--params JSON] [--metrics m1,m2] [--limit N] [--shard i/N] [--csv OUT.csv [--force]] [--json]',
  options: {
    ...modelOptions,
    project: { type: 'string', value: 'DIR', description: 'The project folder' },
    dataset: { type: 'string', value: 'NAME', description: 'The dataset in the project' },
    method: { type: 'string', value: 'METHOD', description: 'The attribution method' },
    params: { type: 'string', value: 'JSON', description: 'The method’s parameters as a JSON object' },
    metrics: { type: 'string', value: 'LIST', description: 'Metrics per image, comma-separated (see `lumen metrics`); localisation ones run where there is ground truth' },
    limit: { type: 'string', value: 'N', description: 'At most N images' },
    shard: { type: 'string', value: 'i/N', description: 'Audit only the i-th of N deterministic slices, into its own shard database (merge with `lumen merge`)' },
    csv: { type: 'string', value: 'OUT.csv', description: 'Write every image’s result as CSV' },
    force: { type: 'boolean', description: 'Replace the --csv file if it exists' },
    json: { type: 'boolean', description: 'Print the audit as JSON' },
  },
  schema: z
    .object({
      ...modelArgs,
      project: z.string({ error: 'is required: give the project folder with --project DIR' }).min(1),
      dataset: z.string({ error: 'is required: name the dataset with --dataset NAME' }).min(1),
      method: z.string({ error: 'is required: give one with --method (see `lumen methods`)' }).min(1),
      params: JsonObject.optional(),
      metrics: z
        .string()
        .transform((s) => s.split(',').map((m) => m.trim()).filter(Boolean))
        .optional(),
      limit: z.coerce.number().int().positive().optional(),
      shard: z.string().regex(/^\d+\/\d+$/, 'must be i/N, e.g. 2/8').optional(),
      csv: z.string().regex(/\.csv$/i, 'must end in .csv').optional(),
      force: z.boolean().default(false),
      json: z.boolean().default(false),
    })
    .strict(),
  examples: ['lumen audit --project study --dataset xrays --method grad-cam --metrics pointing-game --csv audit.csv'],
  async run(args, io) {
    const { api, close } = openLocalApi();
    try {
      const model = await api.call('models.open', openModelParams(args));
      const stop = api.on('progress', (p) => {
        if (p.ratePerSecond !== undefined) io.err(`${p.done}/${p.total} images · ${(60 * p.ratePerSecond).toFixed(1)} images/min · ETA ${Math.round(p.etaSeconds ?? 0)} s`);
      });
      // Warnings come at the start (e.g. labels that are not the model's), so the run can be stopped.
      const stopNotices = api.on('notice', (n) => {
        if (n.level === 'warning') io.err(`warning: ${n.message}`);
      });
      const result = await api.call('audit', {
        project: args.project,
        dataset: args.dataset,
        modelId: model.id,
        method: args.method,
        params: args.params ?? {},
        metrics: (args.metrics ?? []).map((metric) => ({ metric, params: {} })),
        ...(args.limit ? { limit: args.limit } : {}),
        ...(args.shard ? { shard: args.shard } : {}),
        ...(args.csv ? { csv: resolve(args.csv), overwrite: args.force } : {}),
      });
      stop();
      stopNotices();
      if (args.json) {
        io.out(JSON.stringify(result, null, 2));
        return 0;
      }
      io.out(`audit run ${result.runId}: ${result.total} images (${result.resumed} from before, ${result.computed} computed, ${result.failures.length} failed) · ${result.imagesPerMinute.toFixed(1)} images/min · storage ${(result.storage.bytesPerImage / 1024).toFixed(0)} KiB and ${ms(result.storage.msPerImage)} per image`);
      for (const w of result.warnings ?? []) io.out(`  warning: ${w}`);
      for (const c of result.perClass) io.out(`  ${c.label}: accuracy ${(100 * c.accuracy).toFixed(1)}% over ${plural(c.images, 'image')}, mean confidence ${(100 * c.meanConfidence).toFixed(1)}%`);
      if (result.multiLabel) io.out(findingAuditTable(result.multiLabel));
      // People read these lines: each figure by its name and direction, diagnostics saying why they are there.
      for (const m of result.metrics) io.out(`  ${metricHeading(m.metric)}: ${m.mean.toPrecision(4)} [95% CI ${m.ciLow.toPrecision(4)}, ${m.ciHigh.toPrecision(4)}] (n ${m.n}; id ${m.metric})${metricMeaning(m.metric)?.diagnostic ? ` — ${metricMeaning(m.metric)!.diagnostic}` : ''}`);
      io.out(`  ${result.flags.length} flagged image(s)`);
      for (const f of result.flags.slice(0, 20)) io.out(`    ${f.path}: ${f.reasons.join('; ')}`);
      for (const f of result.failures) io.out(`  failed: ${f.path}: ${f.error}`);
      return 0;
    } finally {
      await close();
    }
  },
});
