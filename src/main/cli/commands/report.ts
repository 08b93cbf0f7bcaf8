import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { LumenApi } from '../../../shared/contract/api';
import { ReportSpec } from '../../../shared/contract/report';
import { describeZodError, LumenError } from '../../../shared/errors';
import { methodEntry } from '../../../shared/methods/catalogue';
import { checkExportTarget, extensionMatches } from '../../engine/report/export-target';
import { runReportImages, type RunReportPlan } from '../../../shared/contract/run-report-plan';
import { defineCommand } from '../command';
import { openLocalApi } from '../local-api';
import { modelArgs, modelOptions } from './shared-options';
import { plural } from '../../../shared/plural';

/** The spec a user wrote: validated by the contract, so errors name the field. The model is the CLI's. */
async function readSpecFile(file: string, overrides: { project?: string | undefined }): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(resolve(file), 'utf8');
  } catch (error) {
    throw new LumenError('not-found', `The report spec ${resolve(file)} could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, 'Check the path of --spec.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LumenError('invalid-argument', `The report spec ${file} is not JSON (${(error as Error).message}).`, 'Write it as a JSON object; see `lumen report --help`.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new LumenError('invalid-argument', `The report spec ${file} must be a JSON object.`);
  return { modelId: 'cli', ...(value as Record<string, unknown>), ...(overrides.project ? { project: overrides.project } : {}) };
}

/** Opens the model a run was computed with: --model (its SHA-256 must match) or the bundled one when it is that model. */
async function openRunModel(api: LumenApi, plan: RunReportPlan, args: { model?: string | undefined; provider: z.output<typeof modelArgs.provider> }): Promise<string> {
  const card = plan.model.card;
  const open = (path?: string) => api.call('models.open', { ...(path ? { path } : {}), card: { name: card.name, input: card.input, preprocess: card.preprocess, output: card.output }, executionProvider: args.provider });
  const wanted = plan.model.sha256;
  if (args.model) {
    // The file is checked before the run's card is applied: another model may not even fit it.
    const model = await api.call('models.open', { path: args.model, executionProvider: args.provider });
    if (model.sha256 !== wanted) {
      throw new LumenError(
        'invalid-argument',
        `${model.fileName} is not the model run ${plan.runId} was computed with: its SHA-256 is ${model.sha256}, the run's model ${plan.model.fileName} has ${wanted}.`,
        `Pass --model with the file ${plan.model.fileName} that the audit used.`,
      );
    }
    return (await open(args.model)).id;
  }
  const bundled = await api.call('models.open', { executionProvider: args.provider });
  if (bundled.sha256 !== wanted) {
    throw new LumenError('invalid-argument', `Run ${plan.runId} was computed with ${plan.model.fileName} (SHA-256 ${wanted}), not with the bundled model.`, `Pass --model PATH to ${plan.model.fileName}; its SHA-256 is checked against the run's.`);
  }
  return (await open()).id;
}

export const reportCommand = defineCommand({
  name: 'report',
  summary: 'Write an annotated report (HTML or PDF) of an audit run or of a report spec',
  usage:
    'lumen report --project P (--run R [--images a.png,b.png] | --spec spec.json) --format html|pdf --out FILE [--force] [--title T] [--include-paths] [--include-identifiers] [--anonymise] [--model M.onnx] [--json]',
  options: {
    ...modelOptions,
    project: { type: 'string', value: 'DIR', description: 'The project folder' },
    run: { type: 'string', value: 'R', description: 'An audit run: its dataset, method, parameters, metrics, images and summary' },
    images: { type: 'string', value: 'LIST', description: `With --run: only these images of the run, comma-separated (default: the whole run, or its ${runReportImages} most flagged images)` },
    spec: { type: 'string', value: 'FILE', description: 'A report spec as JSON (see the ReportSpec contract); its model is the one given here' },
    format: { type: 'string', value: 'html|pdf', description: 'HTML (self-contained) or PDF (needs Chromium)' },
    out: { type: 'string', short: 'o', value: 'FILE', description: 'Where to write the report (written whole or not at all; .html or .pdf as --format)' },
    force: { type: 'boolean', description: 'Replace --out if it exists (never a project’s own files)' },
    title: { type: 'string', value: 'TEXT', description: 'The report’s title' },
    'include-paths': { type: 'boolean', description: 'Show file-system paths (left out by default)' },
    anonymise: { type: 'boolean', description: 'Name images that look like patient identifiers "Image 1", "Image 2"...' },
    'include-identifiers': { type: 'boolean', description: 'Show patient name, ID, dates, institution and annotation authors (withheld by default)' },
    json: { type: 'boolean', description: 'Print the result as JSON' },
  },
  schema: z
    .object({
      ...modelArgs,
      project: z.string().min(1).optional(),
      run: z.coerce.number({ error: 'must be a run number' }).int().positive().optional(),
      images: z
        .string()
        .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
        .optional(),
      spec: z.string().min(1).optional(),
      format: z.enum(['html', 'pdf'], { error: 'is required: --format html or --format pdf' }),
      out: z.string({ error: 'is required: give the report file with --out FILE' }).min(1),
      force: z.boolean().default(false),
      title: z.string().min(1).max(300).optional(),
      'include-paths': z.boolean().default(false),
      anonymise: z.boolean().default(false),
      'include-identifiers': z.boolean().default(false),
      json: z.boolean().default(false),
    })
    .strict()
    .refine((a) => (a.run === undefined) !== (a.spec === undefined), { message: 'give either --run R or --spec FILE', path: ['run'] })
    .refine((a) => a.spec !== undefined || a.project !== undefined, { message: 'is required with --run: give the project folder with --project DIR', path: ['project'] })
    .refine((a) => a.images === undefined || a.run !== undefined, { message: 'selects images of a run: use it with --run', path: ['images'] })
    .refine((a) => extensionMatches(a.format, a.out), { message: 'does not match --format: give a .html file for --format html, a .pdf file for --format pdf', path: ['out'] }),
  examples: ['lumen report --project study --run 3 --format pdf --out run3.pdf --anonymise', 'lumen report --project study --run 3 --images a.png,b.png --format html --out two.html', 'lumen report --spec report.json --format html --out report.html'],
  async run(args, io) {
    // Checked before any work: a report over the project's database, or over a file not meant to be replaced, is refused at once.
    const out = checkExportTarget(args.out, { format: args.format, overwrite: args.force });
    const { api, close } = openLocalApi();
    try {
      let spec: z.input<typeof ReportSpec>;
      if (args.run !== undefined) {
        const plan = await api.call('report.plan', { project: args.project!, runId: args.run, ...(args.images ? { images: args.images } : {}) });
        if (plan.leftOut > 0 && !args.images) io.err(`run ${plan.runId} has ${plural(plan.runImages, 'image')}: the report explains ${plan.images.length} of them (flagged first); choose others with --images`);
        const modelId = await openRunModel(api, plan, args);
        spec = {
          project: resolve(args.project!),
          modelId,
          title: args.title ?? `Audit run ${plan.runId}: ${methodEntry(plan.method)?.label ?? plan.method} on “${plan.dataset}”`,
          images: plan.images.map((path) => ({ dataset: plan.dataset, path })),
          methods: [{ method: plan.method, params: plan.params }],
          metrics: plan.metrics,
          runs: [plan.runId],
          includePaths: args['include-paths'],
          anonymise: args.anonymise,
          includeIdentifiers: args['include-identifiers'],
        };
      } else {
        const raw = (await readSpecFile(args.spec!, { project: args.project })) as Record<string, unknown>;
        const withFlags = { ...raw, ...(args.title ? { title: args.title } : {}), ...(args['include-paths'] ? { includePaths: true } : {}), ...(args.anonymise ? { anonymise: true } : {}), ...(args['include-identifiers'] ? { includeIdentifiers: true } : {}) };
        const parsed = ReportSpec.safeParse(withFlags);
        if (!parsed.success) throw new LumenError('invalid-argument', `The report spec ${args.spec} is not valid: ${describeZodError(parsed.error)}.`, 'Fix the fields named; see the ReportSpec contract (src/shared/contract/report.ts).');
        const model = await api.call('models.open', { ...(args.model ? { path: args.model } : {}), ...(args.card ? { cardPath: args.card } : {}), executionProvider: args.provider });
        spec = { ...parsed.data, project: resolve(parsed.data.project), modelId: model.id };
      }
      const stop = api.on('progress', (p) => {
        if (!args.json) io.err(`${p.done}/${p.total} steps${p.etaSeconds !== undefined ? ` · ETA ${Math.round(p.etaSeconds)} s` : ''}`);
      });
      const t0 = performance.now();
      const result = await api.call('report.export', { spec, format: args.format, out, overwrite: args.force });
      stop();
      if (args.json) {
        io.out(JSON.stringify(result, null, 2));
        return 0;
      }
      io.out(`wrote ${result.path} (${args.format.toUpperCase()}, ${(result.bytes / 1024).toFixed(0)} KiB${result.pages ? `, ${result.pages} pages` : ''}) in ${((performance.now() - t0) / 1000).toFixed(1)} s · content ${result.contentHash.slice(0, 16)}`);
      for (const w of result.warnings) io.err(`note: ${w}`);
      return 0;
    } finally {
      await close();
    }
  },
});
