import { resolve } from 'node:path';
import { z } from 'zod';
import { LumenError } from '../../../shared/errors';
import { metricIds } from '../../../shared/metrics/catalogue';
import { readNpyFile, toFloat32 } from '../../engine/io/npy';
import { checkMethodArgs, checkMetricArgs } from '../catalogue-args';
import { defineCommand } from '../command';
import { ms } from '../format';
import { openLocalApi } from '../local-api';
import { JsonObject, modelArgs, modelOptions, openModelParams, resolveInput } from './shared-options';
import { evaluateDataset } from './evaluate-dataset';
import { readBoxes, readMask } from '../ground-truth-files';

const axioms = ['completeness', 'implementationInvariance', 'dummy', 'symmetry'] as const;

/** The axioms as a method x axiom table: each cell the measured error and whether it holds. */
function axiomsTable(results: Array<{ method: string; metrics: Array<{ metric: string; figures: Record<string, number> }> }>): string[] {
  const rows = results.flatMap((r) => r.metrics.filter((m) => m.metric === 'axioms').map((m) => ({ method: r.method, figures: m.figures })));
  if (rows.length === 0) return [];
  const width = Math.max(...rows.map((r) => r.method.length), 6);
  const cell = (f: Record<string, number>, axiom: string): string => {
    const error = f[`${axiom}Error`];
    return (error === undefined ? 'n/a' : `${f[`${axiom}Holds`] ? 'holds' : 'fails'} ${error.toExponential(1)}`).padEnd(26);
  };
  return [
    '',
    `${'method'.padEnd(width)}  ${axioms.map((a) => a.padEnd(26)).join('')}`,
    ...rows.map((r) => `${r.method.padEnd(width)}  ${axioms.map((a) => cell(r.figures, a)).join('')}`),
  ];
}

/** Metric parameters: one object for a single metric, or an object keyed by metric id. */
function metricParams(metrics: string[], given: Record<string, unknown> | undefined): Array<{ metric: string; params: Record<string, unknown> }> {
  if (!given) return metrics.map((metric) => ({ metric, params: {} }));
  if (metrics.length === 1 && !(metrics[0]! in given)) return [{ metric: metrics[0]!, params: given }];
  const unknown = Object.keys(given).filter((k) => !metrics.includes(k));
  if (unknown.length > 0) {
    throw new LumenError('invalid-argument', `--metric-params names ${unknown.join(', ')}, which ${unknown.length > 1 ? 'are' : 'is'} not among the metrics asked for (${metrics.join(', ')}).`, 'With several metrics, key the parameters by metric: \'{"deletion": {"stepFraction": 0.05}}\'.');
  }
  return metrics.map((metric) => {
    const params = given[metric] ?? {};
    if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new LumenError('invalid-argument', `--metric-params for ${metric} must be a JSON object.`);
    return { metric, params: params as Record<string, unknown> };
  });
}

export const evaluateCommand = defineCommand({
  name: 'evaluate',
  summary: 'Evaluate an attribution with metrics (deletion, insertion, faithfulness, …)',
  usage:
    'lumen evaluate [--model M.onnx] (--input X.npy | --image I) --method METHOD --metric METRIC[,METRIC…] [--target N] [--params JSON] [--metric-params JSON] [--attribution A.npy] [--boxes B.json] [--mask M.png] [--json]',
  options: {
    ...modelOptions,
    input: { type: 'string', value: 'X.npy', description: 'Preprocessed float32 input tensor shaped like the model input' },
    image: { type: 'string', short: 'i', value: 'FILE', description: 'An image, preprocessed as the model card says' },
    dataset: { type: 'string', value: 'DIR', description: 'Every image under a folder: per-method aggregates with bootstrap confidence intervals and a ranking' },
    limit: { type: 'string', value: 'N', description: 'Dataset mode: at most N images (the first N in sorted order)' },
    project: { type: 'string', value: 'DIR', description: 'Dataset mode: keep the jobs and results in this project (default: one of Lumen’s own per folder, in its cache)' },
    method: { type: 'string', value: 'METHOD', description: 'The attribution method(s) evaluated, comma-separated (see `lumen methods`)' },
    metric: { type: 'string', value: 'METRIC', description: `One or more metrics, comma-separated: ${metricIds.join(', ')}` },
    target: { type: 'string', value: 'N', description: 'Class index (default: the top class)' },
    params: { type: 'string', value: 'JSON', description: 'The method’s parameters as a JSON object; with several methods, keyed by method id' },
    'metric-params': { type: 'string', value: 'JSON', description: 'Metric parameters: an object, or one per metric keyed by its id (see `lumen metrics`)' },
    attribution: { type: 'string', value: 'A.npy', description: 'Evaluate this attribution (from `lumen attribute`) instead of computing it' },
    boxes: { type: 'string', value: 'B.json', description: 'Ground-truth boxes [{x0,y0,x1,y1}] in model-input pixels (localisation metrics)' },
    mask: { type: 'string', value: 'M.png', description: 'Ground-truth mask image at the model input size, non-zero = object' },
    json: { type: 'boolean', description: 'Print one JSON object with every metric’s score, curves and figures' },
  },
  schema: z
    .object({
      ...modelArgs,
      input: z.string().min(1).optional(),
      image: z.string().min(1).optional(),
      dataset: z.string().min(1).optional(),
      limit: z.coerce.number().int().positive().optional(),
      project: z.string().min(1).optional(),
      method: z.string({ error: 'is required: give one with --method (see `lumen methods`)' }).min(1),
      metric: z
        .string({ error: 'is required: give one or more with --metric (see `lumen metrics`)' })
        .min(1)
        .transform((s) => s.split(',').map((m) => m.trim()).filter(Boolean)),
      target: z.coerce.number().int().nonnegative().optional(),
      params: JsonObject.optional(),
      'metric-params': JsonObject.optional(),
      attribution: z.string().regex(/\.npy$/i, 'must be a .npy file').optional(),
      boxes: z.string().min(1).optional(),
      mask: z.string().min(1).optional(),
      json: z.boolean().default(false),
    })
    .strict()
    .refine((a) => [a.input, a.image, a.dataset].filter((v) => v !== undefined).length === 1, { message: 'give exactly one of --input X.npy, --image FILE and --dataset DIR', path: ['input'] })
    .refine((a) => a.project === undefined || a.dataset !== undefined, { message: 'a project keeps the results of a dataset evaluation: give it with --dataset DIR', path: ['project'] })
    .refine((a) => a.attribution === undefined || !a.method.includes(','), { message: 'a given --attribution belongs to one method', path: ['method'] })
    .refine((a) => a.dataset === undefined || (a.attribution === undefined && a.boxes === undefined && a.mask === undefined), {
      message: 'in dataset mode ground truth comes from sidecar files (<image>.boxes.json, <image>.mask.png), and attributions are computed',
      path: ['dataset'],
    })
    .superRefine((a, ctx) => {
      checkMethodArgs(a.method, a.params, ctx);
      checkMetricArgs(a.metric, a['metric-params'], ctx);
    }),
  examples: [
    'lumen evaluate --image resources/samples/coffee.png --method grad-cam --metric deletion,insertion',
    'lumen evaluate --image scan.png --method integrated-gradients --metric faithfulness-correlation --metric-params \'{"runs":50}\' --json',
    'lumen evaluate --image resources/samples/coffee.png --method gradient,integrated-gradients,deeplift,lrp-epsilon --metric axioms',
    'lumen evaluate --dataset scans/ --method grad-cam,integrated-gradients --metric deletion,insertion --limit 50 --json',
  ],
  async run(args, io) {
    const metrics = metricParams(args.metric, args['metric-params']);
    if (args.dataset) return evaluateDataset({ ...args, dataset: args.dataset, metrics }, io);
    const { api, close } = openLocalApi();
    try {
      const model = await api.call('models.open', openModelParams(args));
      const input = await resolveInput(api, args);
      let attribution: { dims: number[]; data: Float32Array } | undefined;
      if (args.attribution) {
        const array = await readNpyFile(resolve(args.attribution));
        attribution = { dims: array.shape.length > 0 ? array.shape : [1], data: toFloat32(array) };
      }
      const boxes = args.boxes ? await readBoxes(args.boxes) : undefined;
      const mask = args.mask ? await readMask(args.mask) : undefined;
      const methods = args.method.split(',').map((m) => m.trim()).filter(Boolean);
      const results = [];
      for (const method of methods) {
        results.push(
          await api.call('evaluate', {
            modelId: model.id,
            input,
            method,
            ...(args.target === undefined ? {} : { target: args.target }),
            params: methods.length === 1 ? (args.params ?? {}) : ((args.params?.[method] as Record<string, unknown> | undefined) ?? {}),
            ...(attribution ? { attribution } : {}),
            metrics,
            ...(boxes || mask ? { groundTruth: { ...(boxes ? { boxes } : {}), ...(mask ? { mask } : {}) } } : {}),
          }),
        );
      }
      if (args.json) {
        io.out(JSON.stringify(methods.length === 1 ? results[0] : { methods: results }, null, 2));
        return 0;
      }
      for (const result of results) {
        io.out(`${result.method} for "${result.targetLabel}" (class ${result.target})${args.attribution ? ` from ${args.attribution}` : `, computed in ${ms(result.attributionMs)}`}`);
        for (const m of result.metrics) {
          io.out(`  ${m.metric}: ${m.score.toPrecision(4)} (${m.higherIsBetter ? 'higher' : 'lower'} is better) · ${m.forwardPasses} forward passes · ${ms(m.computeMs)}`);
        }
      }
      for (const line of axiomsTable(results)) io.out(line);
      return 0;
    } finally {
      await close();
    }
  },
});
