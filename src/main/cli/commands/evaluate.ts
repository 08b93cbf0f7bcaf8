import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import { GroundTruthBox } from '../../../shared/contract/evaluation';
import { LumenError } from '../../../shared/errors';
import { metricIds } from '../../../shared/metrics/catalogue';
import { readNpyFile, toFloat32 } from '../../engine/io/npy';
import { defineCommand } from '../command';
import { ms } from '../format';
import { openLocalApi } from '../local-api';
import { JsonObject, modelArgs, modelOptions, openModelParams, resolveInput } from './shared-options';

const BoxesFile = z.union([z.array(GroundTruthBox).min(1), z.object({ boxes: z.array(GroundTruthBox).min(1) }).transform((f) => f.boxes)]);

/** Ground-truth boxes from a JSON file: [{x0, y0, x1, y1}, ...] or {"boxes": [...]}, in model-input pixels. */
async function readBoxes(path: string): Promise<z.output<typeof GroundTruthBox>[]> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(resolve(path), 'utf8'));
  } catch (error) {
    throw new LumenError('invalid-argument', `Cannot read the boxes file ${path}: ${(error as Error).message}.`, 'Give a JSON file like [{"x0": 10, "y0": 20, "x1": 80, "y1": 90}].');
  }
  const parsed = BoxesFile.safeParse(value);
  if (!parsed.success) throw new LumenError('invalid-argument', `${path} is not a list of boxes {x0, y0, x1, y1}.`, 'Give a JSON file like [{"x0": 10, "y0": 20, "x1": 80, "y1": 90}] in pixels of the model input.');
  return parsed.data;
}

/** A mask image (any format sharp reads; non-zero = object), at the model input size. */
async function readMask(path: string): Promise<{ height: number; width: number; data: Uint8Array }> {
  try {
    const { data, info } = await sharp(resolve(path)).greyscale().raw().toBuffer({ resolveWithObject: true });
    return { height: info.height, width: info.width, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (error) {
    throw new LumenError('invalid-argument', `Cannot read the mask image ${path}: ${(error as Error).message}.`, 'Give a PNG the size of the model input, non-zero where the object is.');
  }
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
    method: { type: 'string', value: 'METHOD', description: 'The attribution method evaluated (see `lumen methods`)' },
    metric: { type: 'string', value: 'METRIC', description: `One or more metrics, comma-separated: ${metricIds.join(', ')}` },
    target: { type: 'string', value: 'N', description: 'Class index (default: the top class)' },
    params: { type: 'string', value: 'JSON', description: 'The method’s parameters as a JSON object' },
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
    .refine((a) => (a.input === undefined) !== (a.image === undefined), { message: 'give exactly one of --input X.npy and --image FILE', path: ['input'] }),
  examples: [
    'lumen evaluate --image resources/samples/coffee.png --method grad-cam --metric deletion,insertion',
    'lumen evaluate --image scan.png --method integrated-gradients --metric faithfulness-correlation --metric-params \'{"runs":50}\' --json',
  ],
  async run(args, io) {
    const metrics = metricParams(args.metric, args['metric-params']);
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
      const result = await api.call('evaluate', {
        modelId: model.id,
        input,
        method: args.method,
        ...(args.target === undefined ? {} : { target: args.target }),
        params: args.params ?? {},
        ...(attribution ? { attribution } : {}),
        metrics,
        ...(boxes || mask ? { groundTruth: { ...(boxes ? { boxes } : {}), ...(mask ? { mask } : {}) } } : {}),
      });
      if (args.json) {
        io.out(JSON.stringify(result, null, 2));
        return 0;
      }
      io.out(`${result.method} for "${result.targetLabel}" (class ${result.target})${args.attribution ? ` from ${args.attribution}` : `, computed in ${ms(result.attributionMs)}`}`);
      for (const m of result.metrics) {
        io.out(`  ${m.metric}: ${m.score.toPrecision(4)} (${m.higherIsBetter ? 'higher' : 'lower'} is better) · ${m.forwardPasses} forward passes · ${ms(m.computeMs)}`);
      }
      return 0;
    } finally {
      await close();
    }
  },
});
